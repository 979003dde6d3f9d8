import Foundation
import Testing
import VigilEngine
import Yams

/// deploy/prometheus/vigil-alerts.yml, read as Prometheus reads a rule file: groups of rules, each
/// an alert with an expression, labels and annotations. (promtool is not used: Debian ships it only
/// inside the whole Prometheus server package.) Every metric an expression names must be one Vigil
/// exports, so a renamed metric cannot leave an alert silently watching nothing.
@Suite("Prometheus alert rules")
struct AlertRulesTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/prometheus/vigil-alerts.yml")

    func rules() throws -> [[String: Any]] {
        let yaml = try String(contentsOf: Self.file, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let groups = try #require(root["groups"] as? [[String: Any]])
        #expect(groups.allSatisfy { $0["name"] is String })
        return groups.flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }
    }

    @Test func theFourAlertsAnOnCallEngineerNeedsAreThere() throws {
        let names = Set(try rules().compactMap { $0["alert"] as? String })
        #expect(names.isSuperset(of: ["VigilDaemonDown", "VigilNobodyOnDuty", "VigilP1UnclaimedOver60s", "VigilDeadLettersRising"]), "\(names)")
    }

    @Test func everyRuleIsWellFormed() throws {
        let all = try rules()
        #expect(!all.isEmpty)
        for rule in all {
            let name = rule["alert"] as? String ?? "?"
            #expect(!(rule["expr"] as? String ?? "").isEmpty, "\(name) has no expr")
            let severity = (rule["labels"] as? [String: Any])?["severity"] as? String
            #expect(severity == "page" || severity == "ticket", "\(name): severity \(severity ?? "missing")")
            let annotations = rule["annotations"] as? [String: Any]
            #expect(annotations?["summary"] is String, "\(name) has no summary")
            if let duration = rule["for"] as? String { #expect(duration.range(of: #"^[0-9]+[smh]$"#, options: .regularExpression) != nil, "\(name): for \(duration)") }
            #expect(Set(rule.keys).isSubset(of: ["alert", "expr", "for", "labels", "annotations"]), "\(name): \(rule.keys.sorted())")
        }
    }

    @Test func everyMetricAnExpressionNamesIsExported() throws {
        let exported = Set(VigilMetrics.all)
        for rule in try rules() {
            let expr = rule["expr"] as? String ?? ""
            let names = expr.matches(of: /vigil_[a-z0-9_]+/).map { String($0.output) }
            #expect(!names.isEmpty, "\(rule["alert"] ?? "?") watches no Vigil metric")
            for n in names {
                // A histogram's series carry _bucket, _sum and _count after its name.
                let base = ["_bucket", "_sum", "_count"].reduce(n) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
                #expect(exported.contains(base), "\(rule["alert"] ?? "?") names \(n), which Vigil does not export")
            }
        }
    }
}
