/// What a registered device is. The home unit (`hub`) carries the other devices' radio link.
public enum DeviceKind: String, CaseIterable, Sendable, Codable {
    case hub, pendant, pullcord
    case fallDetector = "fall-detector"
    case smoke, heat, co, gas, flood, temperature, door, bed, chair, pir, epilepsy, enuresis, medication, telehealth
}

/// The referral groups the AT service reports on.
public enum ReferralGroup: String, CaseIterable, Sendable, Codable {
    case hospital = "hospital"            // prevent hospital admission / support timely discharge
    case residential = "residential"      // prevent or delay residential care
    case longTermCondition = "ltc"        // long-term condition
    case dementia = "dementia"
    case learningDisability = "learning-disability"

    public var title: String {
        switch self {
        case .hospital: "Prevent hospital admission / support timely discharge"
        case .residential: "Prevent or delay residential care"
        case .longTermCondition: "Long-term condition"
        case .dementia: "Dementia"
        case .learningDisability: "Learning disability"
        }
    }
}
