import Logging
import VigilCore
import VigilStore
import VigilWire

/// Where refused input goes: a dead-letter row with its reason (and as much of the payload as is
/// safe to keep), a counter by reason, and a log line with ids only. Nothing a device sends that
/// Vigil cannot act on disappears without a record of why.
struct DeadLetters {
    let store: IngestStore
    let logger: Logger

    func record(_ r: Rejection, topic: String, device: String?, payload: [UInt8], at now: EpochMillis, counters: inout IngestCounters) throws(StoreError) {
        counters.rejected += 1
        counters.byReason[r.reason.code, default: 0] += 1
        try store.deadLetter(topic: topic, deviceID: device, eventID: r.eventID, reason: r.reason.code, detail: r.reason.sentence, payload: payload, at: now)
        logger.notice("event rejected", metadata: ["device.id": "\(device ?? "-")", "event.id": "\(r.eventID ?? "-")", "reject.reason": "\(r.reason.code)"])
    }
}
