import Testing
import VigilCore

@Suite("Times of day (HH:MM)")
struct MinuteOfDayTests {
    @Test(arguments: [("00:00", 0), ("07:30", 450), ("7:30", 450), ("22:00", 1320), ("23:59", 1439), ("12:05", 725)])
    func goodTimes(text: String, minute: Int) {
        #expect(MinuteOfDay.parse(text) == minute)
    }

    @Test(arguments: ["", "22", "22:", ":30", "24:00", "23:60", "22:0", "22:000", "022:00", "+7:30", "7:+3", "-1:00",
                      "22h00", "22.00", "22:00:00", " 22:00", "22:00 ", "二二:〇〇", "٢٢:٠٠"])
    func badTimes(text: String) {
        #expect(MinuteOfDay.parse(text) == nil)
    }

    @Test func textIsTwoDigitsEachAndReadsBack() {
        #expect(MinuteOfDay.text(0) == "00:00")
        #expect(MinuteOfDay.text(450) == "07:30")
        #expect(MinuteOfDay.text(1439) == "23:59")
        #expect(MinuteOfDay.text(1440 + 5) == "00:05")   // past midnight wraps
        for minute in stride(from: 0, to: 1440, by: 7) { #expect(MinuteOfDay.parse(MinuteOfDay.text(minute)) == minute) }
    }
}
