/// A key press, decoded from the bytes a VT100-compatible terminal sends.
public enum Key: Sendable, Equatable {
    case up, down, pageUp, pageDown, home, end, left, right
    case enter, escape, backspace, tab
    case ctrlC
    case char(Character)
}

/// Turns terminal input bytes into keys. Escape sequences split across reads are kept until complete.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [Key] {
        pending += bytes
        var keys: [Key] = []
        while !pending.isEmpty {
            guard let (key, used) = Self.decodeOne(pending) else { break }
            pending.removeFirst(used)
            if let key { keys.append(key) }
        }
        return keys
    }

    /// A lone ESC with nothing after it (the user pressed Escape).
    public mutating func flushEscape() -> [Key] {
        guard pending == [0x1B] else { return [] }
        pending.removeAll()
        return [.escape]
    }

    /// Decodes one key from the front; nil when more bytes are needed.
    static func decodeOne(_ b: [UInt8]) -> (Key?, Int)? {
        switch b[0] {
        case 0x1B:
            guard b.count >= 2 else { return nil }
            guard b[1] == UInt8(ascii: "[") || b[1] == UInt8(ascii: "O") else { return (.escape, 1) }
            guard b.count >= 3 else { return nil }
            switch b[2] {
            case UInt8(ascii: "A"): return (.up, 3)
            case UInt8(ascii: "B"): return (.down, 3)
            case UInt8(ascii: "C"): return (.right, 3)
            case UInt8(ascii: "D"): return (.left, 3)
            case UInt8(ascii: "H"): return (.home, 3)
            case UInt8(ascii: "F"): return (.end, 3)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // CSI n ~ : 5 page up, 6 page down, 1/7 home, 4/8 end.
                guard let tilde = b.firstIndex(of: UInt8(ascii: "~")) else { return b.count > 8 ? (nil, b.count) : nil }
                let n = Int(String(decoding: b[2..<tilde], as: UTF8.self)) ?? 0
                let key: Key? = [5: .pageUp, 6: .pageDown, 1: .home, 7: .home, 4: .end, 8: .end][n]
                return (key, tilde + 1)
            default:
                return (nil, 3)
            }
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x09: return (.tab, 1)
        case 0x03: return (.ctrlC, 1)
        case 0x00..<0x20: return (nil, 1)
        default:
            // One UTF-8 scalar: its length comes from the lead byte.
            let lead = b[0]
            let n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            guard b.count >= n else { return nil }
            guard let s = String(validating: b[0..<n], as: UTF8.self), let c = s.first else { return (nil, n) }
            return (.char(c), n)
        }
    }
}
