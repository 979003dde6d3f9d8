import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Log lines for journald: when stderr is the journal's stream (systemd sets `JOURNAL_STREAM` to its
/// device and inode), each line starts with its syslog priority, `<3>` for an error, which journald
/// reads as the entry's priority (so `journalctl -p err` finds the errors), and leaves out the
/// timestamp the journal records itself. Anywhere else Vigil logs swift-log's usual text.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// syslog(3) priorities: journald reads a leading `<N>`.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let pairs = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
        // One entry per line: a newline inside a message would start a new entry at the default priority.
        let message = "\(event.message)".replacingOccurrences(of: "\n", with: " ")
        write("<\(Self.priority(event.level))>\(event.level) \(label): \(message)\(pairs.isEmpty ? "" : " " + pairs)\n")
    }

    /// Whether this process's stderr is the journal stream systemd named in `JOURNAL_STREAM`
    /// ("DEVICE:INODE"); a shell started from the unit inherits the variable but not the stream.
    public static func stderrIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let dev = UInt64(parts[0]), let ino = UInt64(parts[1]) else { return false }
        var st = stat()
        guard fstat(2, &st) == 0 else { return false }
        return UInt64(st.st_dev) == dev && UInt64(st.st_ino) == ino
    }
}
