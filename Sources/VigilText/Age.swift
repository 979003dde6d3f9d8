/// How long an alarm has waited, short enough for a queue column and precise where it matters: to the
/// second for the first hour (the answer targets are 60 s and 180 s), to the minute after.
/// `45s`, `2m05s`, `1h02m`. The CLI's `vigil queue` and the console show the same text.
public enum Age {
    public static func text(_ milliseconds: Int64) -> String {
        let s = max(0, milliseconds / 1000)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(twoDigits(s % 60))s" }
        return "\(s / 3600)h\(twoDigits(s / 60 % 60))m"
    }

    private static func twoDigits(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
