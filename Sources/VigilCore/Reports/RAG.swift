/// Red/amber/green against a target where more is better (people supported, % satisfied, % answered).
public enum RAG: String, Sendable, Codable, CaseIterable {
    case red, amber, green

    /// Green at or above target; amber when short by no more than `amberBand` of the target
    /// (0.05 = "within 5 % below", the AT service's convention); red below that.
    public static func rate(actual: Double, target: Double, amberBand: Double = 0.05) -> RAG {
        if actual >= target { return .green }
        if actual >= target * (1 - amberBand) { return .amber }
        return .red
    }
}
