// libFuzzer target: the FHIR R4 Observation decoder (telehealth kit → Vigil, untrusted).
import VigilCore
import VigilWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = Array(UnsafeBufferPointer(start: data, count: size))
    switch FHIRObservationDecoder.decode(payload, deviceID: "fuzz-kit") {
    case .success(let event):
        precondition(Identifier.isValid(event.eventID), "accepted an observation with an invalid id")
    case .failure(let rejection):
        precondition(!rejection.reason.sentence.isEmpty, "rejection without a message")
    }
    return 0
}
