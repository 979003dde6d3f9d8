import Foundation
import VigilCore

/// Numbers as a board paper prints them.
enum Fmt {
    /// 13115 → "13,115".
    static func int(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func int(_ n: Int?) -> String { n.map { int($0) } ?? "–" }

    /// 0.8734 → "87.3 %".
    static func percent(_ x: Double?, digits: Int = 1) -> String {
        guard let x else { return "–" }
        return String(format: "%.\(digits)f %%", x * 100)
    }

    static func rag(_ r: RAG?) -> String { r?.rawValue.uppercased() ?? "" }

    static func seconds(_ s: Int?) -> String { s.map { "\($0) s" } ?? "–" }
    static func minutes(_ m: Int?) -> String { m.map { "\($0) min" } ?? "–" }
    static func decimal(_ x: Double?, digits: Int = 1) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "–" }
}
