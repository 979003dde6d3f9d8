extension JSONValue {
    /// Compact JSON text (RFC 8259) with object keys sorted, so encoders produce stable bytes that
    /// tests can compare. A non-finite number, which JSON cannot express, is written as null.
    public func jsonText() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.numberText(n)
        case .string(let s): out += JSONText.quote(s)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += JSONText.quote(key) + ":"
                o[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    /// Whole numbers without a fraction (battery 81, not 81.0); others in Swift's shortest
    /// round-tripping form, which is valid JSON.
    static func numberText(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n == n.rounded(), abs(n) < 9_007_199_254_740_992 { return String(Int64(n)) }
        return String(n)
    }
}
