import VigilCore
import VigilWire

extension ScheduledEvent {
    /// This event as wire v1, sent by a device whose clock reads `at` + `clockOffset`.
    public func wireMessage(id: String, clockOffset: EpochMillis = 0) -> EventMessage {
        EventMessage(id: id, ts: RFC3339.format(millis: at + clockOffset), type: type, battery: battery, detail: detail.isEmpty ? nil : detail)
    }
}
