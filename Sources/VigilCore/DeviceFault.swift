/// The P3s Vigil raises of its own about how a device behaves. Each alarm's reason starts with the
/// phrase, which is how `vigil stats` and `vigil devices unrecognised` find them again.
public enum DeviceFault: String, CaseIterable, Sendable {
    case flooding = "device flooding"
    case malformed = "device sends malformed data"
    case unrecognised = "device reports something Vigil does not understand"

    /// The reason of such an alarm: the phrase, then what it was about.
    public func reason(_ about: String) -> String { "\(rawValue): \(about)" }
}
