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
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func num(_ x: Int, _ n: Int = 9) -> String { let s = String(x); return String(repeating: " ", count: max(0, n - s.count)) + s }
        var out = pad("message", 22) + "     sent  accepted duplicate  rejected  no answer  dead letters  expected\n"
        for kind in ChaosKind.allCases {
            guard let r = rows[kind] else { continue }
            out += pad(kind.rawValue, 22) + num(r.sent) + num(r.accepted, 10) + num(r.duplicate, 10) + num(r.rejected, 10)
                + num(r.unanswered, 11) + num(r.deadLetters, 14) + "  " + (kind.expectedAck ?? "no ack") + (kind.deadLetterReason.map { " + \($0)" } ?? "") + "\n"
        }
        out += "resends: \(resends)\n"
        for n in notes { out += "note: \(n)\n" }
        for f in failures { out += "FAIL: \(f)\n" }
        out += passed ? "PASSED: every valid event acked and stored once; nothing invalid accepted.\n" : "FAILED: \(failures.count) problem(s).\n"
        return out
    }
}
