import Testing
import VigilCore
import VigilText
import VigilWire
@testable import VigilConsole

@Suite("Console queue columns")
struct ScreenColumnTests {
    static let t0: EpochMillis = 1_795_314_847_000

    /// The header and every row are cut from one table, so a wide name moves nothing after it.
    @Test(arguments: [80, 100, 132])
    func columnsAfterAWideNameStayUnderTheirHeadings(width: Int) throws {
        var m = ConsoleModel(operatorID: "op1")
        m.connected(now: Self.t0)
        for (i, person) in ["Edith Clarke", "李小龍", "Zoë Nguyễn 👋🏾", "김민준 Kim"].enumerated() {
            let e = QueueEntry(code: "A-\(i)", user: "u\(i)", person: person, device: "d", type: "fall", priority: .emergency,
                               state: "claimed", reason: "fall", raisedAt: Self.t0 - 30_000, claimedBy: "op2")
            _ = m.receive(code: e.code, entry: e, now: Self.t0)
        }
        let lines = Screen.render(m, width: width, height: 24, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        let header = try #require(lines.first { $0.hasPrefix("PRI") })
        let rows = lines.filter { $0.hasPrefix("P1!!!") }
        #expect(rows.count == 4)
        for heading in ["ALARM", "PERSON", "TYPE", "ESC", "CLAIMED BY"] {
            let at = try #require(displayColumn(of: heading, in: header))
            let cells = ["ALARM": "A-", "PERSON": nil, "TYPE": "fall", "ESC": "-", "CLAIMED BY": "op2"]
            guard let cell = cells[heading] ?? nil else { continue }
            for row in rows {
                // Search from the heading's column on, so "-" in "A-1" is not taken for ESC's.
                #expect(displayColumn(of: cell, in: row, from: at) == at, "\(heading) in \(row)")
            }
        }
    }

    func displayColumn(of needle: String, in line: String, from: Int = 0) -> Int? {
        var skipped = 0
        var rest = Substring(line)
        while skipped < from, let c = rest.first {
            skipped += DisplayWidth.of(c)
            rest = rest.dropFirst()
        }
        guard let range = rest.firstRange(of: needle) else { return nil }
        return skipped + DisplayWidth.of(String(rest[..<range.lowerBound]))
    }
}
