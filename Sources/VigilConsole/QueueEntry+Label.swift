import VigilWire

extension QueueEntry {
    /// What operators read in the TYPE column.
    public var typeLabel: String { type == "heartbeat" ? "no contact" : type.replacingOccurrences(of: "_", with: " ") }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
