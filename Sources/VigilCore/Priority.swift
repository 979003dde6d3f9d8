/// Queue priority of an alarm. Lower raw value is more urgent.
public enum Priority: Int, Sendable, Comparable, CaseIterable, Codable {
    /// A person may be in danger now.
    case emergency = 1
    /// A welfare risk.
    case urgent = 2
    /// Needs action, not a rush.
    case technical = 3

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }

    public var label: String {
        switch self {
        case .emergency: "P1 emergency"
        case .urgent: "P2 urgent"
        case .technical: "P3 technical"
        }
    }
}
