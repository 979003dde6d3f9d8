// libFuzzer target: the FHIR R4 decoder as the daemon calls it, an Observation or a Bundle of them
// (telehealth kit → Vigil, untrusted).
import VigilCore
import VigilWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = Array(UnsafeBufferPointer(start: data, count: size))
    let answers = FHIRObservationDecoder.decodeMessage(payload, deviceID: "fuzz-kit")
    precondition(!answers.isEmpty, "a message with no answer")
    for answer in answers {
        switch answer {
        case .success(let event):
            precondition(Identifier.isValid(event.eventID), "accepted an observation with an invalid id")
        case .failure(let rejection):
            precondition(!rejection.reason.sentence.isEmpty, "rejection without a message")
        }
    }
    return 0
}
