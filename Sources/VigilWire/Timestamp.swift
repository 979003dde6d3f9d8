import VigilCore

/// RFC 3339 date-time grammar (section 5.6): `2026-11-22T02:14:07Z`, with optional fraction and offset.
public enum RFC3339 {
    /// True when `s` is a well-formed RFC 3339 date-time with plausible field ranges.
    public static func isValid(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 20, b.count <= 40 else { return false }
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"),
              let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = digits(11, 2), b[13] == UInt8(ascii: ":"),
              let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
              let second = digits(17, 2)
        else { return false }
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start, i < b.count else { return false }
        }
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return i + 1 == b.count
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, let oh = digits(i + 1, 2), b[i + 3] == UInt8(ascii: ":"),
                  let om = digits(i + 4, 2) else { return false }
            return oh <= 23 && om <= 59
        default:
            return false
        }
    }

    /// Milliseconds since the epoch of an RFC 3339 date-time, or nil when it is not one.
    public static func millis(_ s: String) -> Int64? {
        guard isValid(s) else { return nil }
        let b = Array(s.utf8)
        func num(_ at: Int, _ n: Int) -> Int { b[at..<(at + n)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        // isValid checked the date, so the day exists.
        let day = Day(year: num(0, 4), month: num(5, 2), day: num(8, 2)) ?? Day(daysSinceEpoch: 0)
        var ms = day.startMillis + Int64(num(11, 2) * 3_600 + num(14, 2) * 60 + min(num(17, 2), 59)) * 1000
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var frac = 0, digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { frac = frac * 10 + Int(b[i] - 48); digits += 1 }
                i += 1
            }
            while digits < 3 { frac *= 10; digits += 1 }
            ms += Int64(frac)
        }
        if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let offset = Int64(num(i + 1, 2) * 3_600 + num(i + 4, 2) * 60) * 1000
            ms += b[i] == UInt8(ascii: "+") ? -offset : offset
        }
        return ms
    }

    /// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), without Foundation's formatters.
    public static func format(millis: Int64) -> String {
        let ms = Int(((millis % 1000) + 1000) % 1000)
        let secs = (millis - Int64(ms)) / 1000
        var days = Int(secs / 86_400)
        var rem = Int(secs % 86_400)
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = Day(daysSinceEpoch: days).components
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2)).\(pad(ms, 3))Z"
    }
}
