/// How an alarm ended. Operators choose from `operatorChoices`; the others are written by Vigil.
public enum Outcome: String, CaseIterable, Sendable, Codable {
    case resolvedOnCall = "resolved-on-call"
    case responderSent = "responder-sent"
    case ambulance = "ambulance"
    case fireService = "fire-service"
    case policeMissingPerson = "police-missing-person"
    case falseAlarmAccidental = "false-alarm-accidental"
    case falseAlarmDeviceFault = "false-alarm-device-fault"
    case noResponseEscalated = "no-response-escalated"
    case test = "test"
    // Written by Vigil, never chosen by an operator.
    case cancelledAtDevice = "cancelled-at-device"
    case clearedAtDevice = "cleared-at-device"
    case contactRestored = "contact-restored"

    public static let operatorChoices: [Outcome] = [
        .resolvedOnCall, .responderSent, .ambulance, .fireService, .policeMissingPerson,
        .falseAlarmAccidental, .falseAlarmDeviceFault, .noResponseEscalated, .test,
    ]

    public var title: String {
        switch self {
        case .resolvedOnCall: "Resolved on the call"
        case .responderSent: "Responder sent"
        case .ambulance: "Ambulance called"
        case .fireService: "Fire service called"
        case .policeMissingPerson: "Police (missing person)"
        case .falseAlarmAccidental: "False alarm — accidental"
        case .falseAlarmDeviceFault: "False alarm — device fault"
        case .noResponseEscalated: "No response — escalated"
        case .test: "Test call"
        case .cancelledAtDevice: "Cancelled at the device"
        case .clearedAtDevice: "Sensor back to normal"
        case .contactRestored: "Device back in contact"
        }
    }
}

/// Who may do what at the console.
public enum OperatorRole: String, CaseIterable, Sendable, Codable {
    case `operator`, supervisor
}

public struct OperatorIdentity: Sendable, Equatable, Hashable {
    public var id: String
    public var role: OperatorRole

    public init(id: String, role: OperatorRole) {
        self.id = id
        self.role = role
    }
}
