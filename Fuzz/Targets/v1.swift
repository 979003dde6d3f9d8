// libFuzzer target: the wire v1 event decoder (device → Vigil, untrusted).
import VigilCore
import VigilWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = Array(UnsafeBufferPointer(start: data, count: size))
    switch EventDecoder.decode(payload, deviceID: "fuzz-dev", receivedAt: 0) {
    case .success(let event):
        // An accepted event always carries an id the store's CHECK will take.
        precondition(Identifier.isValid(event.eventID), "accepted an event with an invalid id")
    case .failure(let rejection):
        // A rejection must always be explainable to a person.
        precondition(!rejection.reason.sentence.isEmpty, "rejection without a message")
    }
    return 0
}
