/// Why a period of service ended.
public enum EndReason: String, CaseIterable, Sendable, Codable {
    case died
    case residentialCare = "residential-care"
    case movedAway = "moved-away"
    case noLongerNeeded = "no-longer-needed"
    case declined
    case other
}

/// Who pays for the service.
public enum FundingRoute: String, CaseIterable, Sendable, Codable {
    case council
    case selfPurchase = "self-purchase"
}

/// Whether a person lives alone or with a carer.
public enum LivingArrangement: String, CaseIterable, Sendable, Codable {
    case alone
    case withCarer = "with-carer"
}

/// Who answered a satisfaction survey.
public enum Respondent: String, CaseIterable, Sendable, Codable {
    case user, carer
}

/// The kinds of responder on a person's call list, called in their order.
public enum ResponderKind: String, CaseIterable, Sendable, Codable {
    case keyholder
    case mobileResponse = "mobile-response"
    case gp
}

/// How an alarm ended. The response report counts ambulance call-outs and false alarms from these.
public enum AlarmOutcome: String, CaseIterable, Sendable, Codable {
    case resolvedOnCall = "resolved-on-call"
    case responderSent = "responder-sent"
    case ambulance
    case fireService = "fire-service"
    case policeMissingPerson = "police-missing-person"
    case falseAlarmAccidental = "false-alarm-accidental"
    case falseAlarmDeviceFault = "false-alarm-device-fault"
    case noResponseEscalated = "no-response-escalated"
    case test
    case cancelledAtDevice = "cancelled-at-device"
    case clearedAtDevice = "cleared-at-device"
}

/// Age bands used in board papers.
public enum AgeBand: String, CaseIterable, Sendable, Codable {
    case under65 = "under 65"
    case from65to74 = "65-74"
    case from75to84 = "75-84"
    case over85 = "85+"

    public init(age: Int) {
        switch age {
        case ..<65: self = .under65
        case 65..<75: self = .from65to74
        case 75..<85: self = .from75to84
        default: self = .over85
        }
    }
}

/// A satisfaction answer on the 5-point scale counts as satisfied at 4 (satisfied) or 5 (very).
public enum SurveyScale {
    public static let range = 1...5
    public static func isSatisfied(_ answer: Int) -> Bool { answer >= 4 }
}
