/// A strict RFC 8259 reader for untrusted payloads (devices, bridges, consoles).
///
/// Foundation's `JSONDecoder` and `JSONSerialization` accept an object with the same key twice and
/// keep one of the copies, while other parsers keep the other: a stored raw payload could then read
/// as a heartbeat to one program and a fall to another. They also refuse a whole document over one
/// number too large for a Double (`1e400`) without saying where it was. This reader records both,
/// with the path of the key, so the decoders can refuse the first and name the field of the second.
struct JSONParser {
    /// What the reader found that is not plain, unambiguous JSON, with the path of the key
    /// (`detail.confidence`, `entry[0].id`).
    enum Problem: Sendable, Equatable {
        case duplicateKey(path: String)
        /// Read as an infinity (or a zero, for a tiny one that underflows, which is harmless and not reported).
        case numberOutOfRange(path: String, literal: String)
    }

    /// Nesting deeper than this is refused: no payload of the contract needs a tenth of it, and the
    /// reader recurses.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private var i = 0
    private(set) var problems: [Problem] = []

    private struct Failure: Error {}

    /// The value and what was found in it; nil when the bytes are not JSON at all.
    static func parse(_ bytes: [UInt8]) -> (value: JSONValue, problems: [Problem])? {
        var p = JSONParser(bytes: bytes)
        do {
            p.skipSpace()
            let v = try p.value(path: "", depth: 0)
            p.skipSpace()
            guard p.i == bytes.count else { return nil }
            return (v, p.problems)
        } catch {
            return nil
        }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
    }

    private mutating func expect(_ literal: String) throws(Failure) {
        for b in literal.utf8 {
            guard peek == b else { throw Failure() }
            i += 1
        }
    }

    private mutating func value(path: String, depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth, let c = peek else { throw Failure() }
        switch c {
        case UInt8(ascii: "{"): return try object(path: path, depth: depth + 1)
        case UInt8(ascii: "["): return try array(path: path, depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return .number(try number(path: path))
        }
    }

    private mutating func object(path: String, depth: Int) throws(Failure) -> JSONValue {
        i += 1
        var o: [String: JSONValue] = [:]
        skipSpace()
        if peek == UInt8(ascii: "}") { i += 1; return .object(o) }
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { throw Failure() }
            let key = try string()
            skipSpace()
            try expect(":")
            skipSpace()
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            let v = try value(path: keyPath, depth: depth)
            if o[key] != nil {
                problems.append(.duplicateKey(path: keyPath))
            } else {
                o[key] = v
            }
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): i += 1; return .object(o)
            default: throw Failure()
            }
        }
    }

    private mutating func array(path: String, depth: Int) throws(Failure) -> JSONValue {
        i += 1
        var a: [JSONValue] = []
        skipSpace()
        if peek == UInt8(ascii: "]") { i += 1; return .array(a) }
        while true {
            skipSpace()
            a.append(try value(path: "\(path)[\(a.count)]", depth: depth))
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(a)
            default: throw Failure()
            }
        }
    }

    private mutating func number(path: String) throws(Failure) -> Double {
        let start = i
        if peek == UInt8(ascii: "-") { i += 1 }
        // int: 0 or a digit 1-9 followed by digits
        guard let first = peek, isDigit(first) else { throw Failure() }
        i += 1
        if first != UInt8(ascii: "0") { while let c = peek, isDigit(c) { i += 1 } }
        if peek == UInt8(ascii: ".") {
            i += 1
            guard let c = peek, isDigit(c) else { throw Failure() }
            while let c = peek, isDigit(c) { i += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard let c = peek, isDigit(c) else { throw Failure() }
            while let c = peek, isDigit(c) { i += 1 }
        }
        let literal = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let n = Double(literal) else { throw Failure() }
        if !n.isFinite { problems.append(.numberOutOfRange(path: path, literal: String(literal.prefix(40)))) }
        return n
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private mutating func string() throws(Failure) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw Failure() }
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                // The payload was checked for UTF-8 by the caller or is checked here.
                guard let s = String(validating: out, as: UTF8.self) else { throw Failure() }
                return s
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw Failure() }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Failure()
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure() }
                    out += Array(String(Character(u)).utf8)
                default:
                    throw Failure()
                }
            default:
                // Control characters must be escaped.
                guard c >= 0x20 else { throw Failure() }
                out.append(c)
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek else { throw Failure() }
            i += 1
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw Failure()
            }
            v = v << 4 | d
        }
        return v
    }
}
