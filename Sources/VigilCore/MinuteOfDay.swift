/// A time of day written `HH:MM` on the 24-hour clock (`22:00`, `07:30`, or `7:30`), as minutes after
/// midnight: how the config file's night window and a person's own night window are written. One
/// reading for both, so a time the config accepts a person's plan accepts too, and `24:00`, `22:0`,
/// `22h00` or `+7:30` are refused in both.
public enum MinuteOfDay {
    /// 0 to 1439, or nil when `text` is not a time of day.
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let h = digits(parts[0]), let m = digits(parts[1]), h < 24, m < 60 else { return nil }
        return h * 60 + m
    }

    /// `HH:MM`, two digits each: what `parse` reads back.
    public static func text(_ minute: Int) -> String {
        let m = ((minute % 1440) + 1440) % 1440
        return twoDigits(m / 60) + ":" + twoDigits(m % 60)
    }

    /// ASCII digits only: `Int("+7")` would take a sign, and other scripts' digits are not times here.
    private static func digits(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(s)
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
