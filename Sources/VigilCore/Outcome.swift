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
    // What the reports tell apart (issue 13): chosen by an operator, after the first nine.
    case gpAppointment = "gp-appointment"
    case ambulanceConveyed = "ambulance-conveyed"
    case ambulanceNotConveyed = "ambulance-not-conveyed"
    case admittedToHospital = "admitted-to-hospital"
    case fallInjured = "fall-injured"
    case fallNotInjured = "fall-not-injured"

    /// In the order the console lists them: the first nine keep the keys 1–9 operators learnt; the
    /// later ones follow (a–f). `ambulance` stays for a call-out whose conveyance is not yet known.
    public static let operatorChoices: [Outcome] = [
        .resolvedOnCall, .responderSent, .ambulance, .fireService, .policeMissingPerson,
        .falseAlarmAccidental, .falseAlarmDeviceFault, .noResponseEscalated, .test,
        .gpAppointment, .ambulanceConveyed, .ambulanceNotConveyed, .admittedToHospital, .fallInjured, .fallNotInjured,
    ]

    /// An ambulance was called out, whatever it then did (the care-home and avoided-ambulance figures).
    public var isAmbulanceCallOut: Bool { self == .ambulance || self == .ambulanceConveyed || self == .ambulanceNotConveyed }

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
        case .gpAppointment: "GP appointment requested"
        case .ambulanceConveyed: "Ambulance called — conveyed"
        case .ambulanceNotConveyed: "Ambulance called — not conveyed"
        case .admittedToHospital: "Admitted to hospital"
        case .fallInjured: "Fall — with injury"
        case .fallNotInjured: "Fall — no injury"
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
