import Testing
import VigilText

/// The display column at which `needle` starts in `line` (terminal columns, not characters).
func column(of needle: String, in line: String) -> Int? {
    guard let range = line.firstRange(of: needle) else { return nil }
    return DisplayWidth.of(String(line[..<range.lowerBound]))
}

@Suite("Display widths")
struct DisplayWidthTests {
    @Test func latinAccentedCJKAndEmoji() {
        #expect(DisplayWidth.of("Edith") == 5)
        #expect(DisplayWidth.of("Zoë") == 3)
        #expect(DisplayWidth.of("Nguye\u{0302}\u{0303}n") == 6) // combining accents take no column
        #expect(DisplayWidth.of("李小龍") == 6)
        #expect(DisplayWidth.of("김민준") == 6)               // Hangul syllables
        #expect(DisplayWidth.of("👋") == 2)
        #expect(DisplayWidth.of("👩‍👩‍👧") == 2)               // one grapheme joined with ZWJ
        #expect(DisplayWidth.of("🇬🇧") == 2)                 // a flag: two regional indicators
        #expect(DisplayWidth.of("❤️") == 2)                  // a text symbol asked to be an emoji
        #expect(DisplayWidth.of("❤") == 1)
    }

    @Test func fitPadsAndCutsByColumns() {
        #expect(DisplayWidth.fit("李小龍", 5) == "李小…")
        #expect(DisplayWidth.fit("李小龍", 4) == "李… ")        // a wide character never splits
        #expect(DisplayWidth.fit("李小龍", 6) == "李小龍")
        #expect(DisplayWidth.fit("Edith", 8) == "Edith   ")
        #expect(DisplayWidth.fit("Edith", 0) == "")
    }
}

@Suite("Text tables")
struct TextTableTests {
    @Test func columnsAreAsWideAsTheirWidestCellWithoutTrailingBlanks() {
        let text = TextTable.render(header: ["ID", "NAME", "AREA"], rows: [["u-1", "Edith Clarke", "3"], ["u-22", "Al", "-"]])
        #expect(text == """
            ID    NAME          AREA
            u-1   Edith Clarke  3
            u-22  Al            -
            """)
    }

    @Test(arguments: ["李小龍", "Zoë Nguyễn", "Nguye\u{0302}\u{0303}n", "Amara 👋🏾", "👩‍👩‍👧 family", "김민준"])
    func wideAndCombiningNamesKeepLaterColumnsInLine(name: String) {
        let text = TextTable.render(header: ["ID", "NAME", "AREA"], rows: [["u-1", "Edith", "3"], ["u-2", name, "7"], ["u-3", "Arthur Pennington", "8"]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let areaColumn = column(of: "AREA", in: lines[0])
        #expect(areaColumn != nil)
        #expect(column(of: "3", in: lines[1]) == areaColumn)
        #expect(column(of: "7", in: lines[2]) == areaColumn, "\(lines[2])")
        #expect(column(of: "8", in: lines[3]) == areaColumn)
    }

    @Test func theWidestCellSetsTheColumnInDisplayColumnsNotCharacters() {
        // Three characters, six columns: wider than "Edith" (five), so it sets NAME's width.
        let text = TextTable.render(header: ["NAME", "AREA"], rows: [["李小龍", "1"], ["Edith", "2"]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "李小龍  1")
        #expect(lines[2] == "Edith   2")
    }

    @Test func rightAlignedNumbersLineUpOnTheirLastDigit() {
        let table = TextTable([.init("kind"), .init("sent", .right), .init("note")])
        let text = table.render([["valid", "1200", "ok"], ["oversized", "7", "—"]])
        #expect(text == """
            kind       sent  note
            valid      1200  ok
            oversized     7  —
            """)
    }

    @Test func aRuleSpansTheColumnsAndTheSeparators() {
        let lines = TextTable(header: ["YEAR", "USERS"]).render([["2019/20", "12,400"]], rule: true).split(separator: "\n").map(String.init)
        #expect(lines == ["YEAR     USERS", "---------------", "2019/20  12,400"])
    }

    @Test func withoutAHeaderOnlyTheRowsSizeTheColumns() {
        let text = TextTable(header: ["", ""]).render([["events stored", "12"], ["  bad_json", "3"]], header: false)
        #expect(text == "events stored  12\n  bad_json     3")
    }

    @Test func anEmptyLastCellLeavesNoBlanksAtTheEndOfItsLine() {
        let text = TextTable.render(header: ["ID", "AREA", "GROUPS"], rows: [["u1", "2", ""], ["u2", "-", "dementia"]])
        #expect(text == "ID  AREA  GROUPS\nu1  2\nu2  -     dementia")
    }

    @Test func aRowWithMoreCellsThanColumnsKeepsThemAll() {
        let text = TextTable.render(header: ["A"], rows: [["x", "extra"]])
        #expect(text == "A\nx  extra")
    }

    @Test func fixedWidthsFitEveryCellExactlyForAScreen() {
        let table = TextTable(header: ["AGE", "PERSON", "TYPE"], separator: " ")
        let widths = [5, 8, 4]
        #expect(table.headerLine(widths: widths) == "AGE   PERSON   TYPE")
        let row = table.line(["3m05s", "李小龍 Lee", "fall"], widths: widths)
        #expect(row == "3m05s 李小龍 … fall")   // six columns of name, the space, the ellipsis
        #expect(DisplayWidth.of(row) == widths.reduce(0, +) + 2)
        #expect(column(of: "fall", in: row) == column(of: "TYPE", in: table.headerLine(widths: widths)))
        #expect(table.cells(["1", "2", "3", "4"], widths: widths) == ["1    ", "2       ", "3   ", "4"])
    }

    @Test func rightAlignedFitCutsFromTheRightToo() {
        #expect(TextTable.fit("42", 5, .right) == "   42")
        #expect(TextTable.fit("123456", 4, .right) == "123…")
    }
}

@Suite("Alarm ages")
struct AgeTests {
    @Test func secondsThenMinutesAndSecondsThenHoursAndMinutes() {
        #expect(Age.text(0) == "0s")
        #expect(Age.text(59_999) == "59s")
        #expect(Age.text(60_000) == "1m00s")
        #expect(Age.text(185_000) == "3m05s")
        #expect(Age.text(3_599_999) == "59m59s")
        #expect(Age.text(3_600_000) == "1h00m")
        #expect(Age.text(3_725_000) == "1h02m")
        #expect(Age.text(100 * 3_600_000 + 7 * 60_000) == "100h07m")
    }

    @Test func aClockBehindTheRaiseTimeShowsZeroNotANegativeAge() {
        #expect(Age.text(-5_000) == "0s")
    }
}
