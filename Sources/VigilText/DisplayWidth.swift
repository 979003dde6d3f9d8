/// Terminal column widths: East Asian wide characters and emoji take two columns, combining accents
/// none. Names like "Zoë Nguyễn" or "李小龍" must line up in the queue. (UAX #11 wide ranges.)
public enum DisplayWidth {
    static func scalarWidth(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200D { return 0 }
        if u.properties.isEmojiPresentation { return 2 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    public static func of(_ c: Character) -> Int {
        // A grapheme takes the width of its widest scalar (a base letter plus accents is one column).
        // VARIATION SELECTOR-16 asks for the emoji picture of a text symbol (❤ → ❤️), which terminals
        // draw two columns wide.
        let scalars = c.unicodeScalars
        if scalars.contains("\u{FE0F}"), scalars.first?.properties.isEmoji == true { return 2 }
        return scalars.map(scalarWidth).max() ?? 0
    }

    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// Cuts or pads `s` to exactly `width` columns (an ellipsis marks a cut).
    public static func fit(_ s: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        let w = of(s)
        if w <= width { return s + String(repeating: " ", count: width - w) }
        var out = ""
        var used = 0
        for c in s {
            let cw = of(c)
            if used + cw > width - 1 { break }
            out.append(c)
            used += cw
        }
        return out + "…" + String(repeating: " ", count: max(0, width - used - 1))
    }
}
