import VigilCore
import VigilWire

extension ScheduledEvent {
    /// The wire v1 payload of this event, sent by a device whose clock reads `at` + `clockOffset`.
    public func wirePayload(id: String, clockOffset: EpochMillis = 0) -> [UInt8] {
        EventEncoder.encode(id: id, ts: RFC3339.format(millis: at + clockOffset), type: type, battery: battery, detailJSON: detailJSON)
    }
}
