import Testing
import VigilWire

/// Two answers to one event (the fresh lane's and the persistent session's): a device goes by the one
/// that is not `duplicate`, whichever order they came in.
@Suite("Ack: the answer a device goes by")
struct AckSettledTests {
    let accepted = Ack(eventID: "e1", status: .accepted, alarm: "A-2026-000002")
    let duplicate = Ack(eventID: "e1", status: .duplicate, alarm: "A-2026-000002")

    @Test func aDuplicateAfterAcceptedKeepsAccepted() {
        #expect(Ack.settled(accepted, duplicate) == accepted)
    }

    @Test func acceptedAfterADuplicateReplacesIt() {
        #expect(Ack.settled(duplicate, accepted) == accepted)
    }

    @Test func theFirstAnswerIsKeptWhateverItSays() {
        #expect(Ack.settled(nil, duplicate) == duplicate)
        let rejected = Ack(eventID: "e1", status: .rejected, error: "rate limited", reason: "rate_limited")
        #expect(Ack.settled(nil, rejected) == rejected)
    }
}
