import VigilText

/// What was sent in a chaos run, what Vigil answered, and the verdict.
public struct ChaosReport: Sendable {
    public struct Row: Sendable {
        public var kind: ChaosKind
        public var sent = 0
        public var accepted = 0
        public var duplicate = 0
        public var rejected = 0
        public var unanswered = 0
        public var deadLetters = 0
    }

    public var rows: [ChaosKind: Row] = [:]
    public var failures: [String] = []
    public var notes: [String] = []
    public var resends = 0
    public var passed: Bool { failures.isEmpty }

    mutating func update(_ kind: ChaosKind, _ change: (inout Row) -> Void) {
        var r = rows[kind] ?? Row(kind: kind)
        change(&r)
        rows[kind] = r
    }

    public var text: String {
        let table = TextTable([.init("message")] + ["sent", "accepted", "duplicate", "rejected", "no answer", "dead letters"].map { .init($0, .right) }
                              + [.init("expected")])
        let lines = ChaosKind.allCases.compactMap { kind in rows[kind] }.map { r in
            [r.kind.rawValue] + [r.sent, r.accepted, r.duplicate, r.rejected, r.unanswered, r.deadLetters].map(String.init)
                + [(r.kind.expectedAck ?? "no ack") + (r.kind.deadLetterReason.map { " + \($0)" } ?? "")]
        }
        var out = table.render(lines) + "\n"
        out += "resends: \(resends)\n"
        for n in notes { out += "note: \(n)\n" }
        for f in failures { out += "FAIL: \(f)\n" }
        out += passed ? "PASSED: every valid event acked and stored once; nothing invalid accepted.\n" : "FAILED: \(failures.count) problem(s).\n"
        return out
    }
}
