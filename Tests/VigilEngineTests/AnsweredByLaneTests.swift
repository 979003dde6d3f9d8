import Testing
@testable import VigilEngine

/// The persistent session's answer to a copy the fresh lane already answered leaves by the lane, once
/// per copy the lane answered; anything else leaves by the persistent connection.
@Suite("The fresh lane: answers to its copies follow its own")
struct AnsweredByLaneTests {
    private func held(_ record: inout AnsweredByLane, ackTopic: String, eventID: String) -> Bool {
        record.follows(ackTopic: ackTopic, eventID: eventID)
    }

    @Test func theCopyOfAnAnsweredEventIsFollowedOnce() {
        var record = AnsweredByLane()
        record.answered(ackTopic: "telecare/v1/devices/d1/acks", eventID: "e1")
        #expect(!record.isEmpty)
        #expect(held(&record, ackTopic: "telecare/v1/devices/d1/acks", eventID: "e1"))
        // The device's resend of e1, delivered later by the persistent session, is answered there.
        #expect(!held(&record, ackTopic: "telecare/v1/devices/d1/acks", eventID: "e1"))
        #expect(record.isEmpty)
    }

    @Test func anotherDevicesEventWithTheSameIDIsNotFollowed() {
        var record = AnsweredByLane()
        record.answered(ackTopic: "telecare/v1/devices/d1/acks", eventID: "e1")
        #expect(!held(&record, ackTopic: "telecare/v1/devices/d2/acks", eventID: "e1"))
        #expect(!held(&record, ackTopic: "telecare/v1/devices/d1/acks", eventID: "e2"))
        #expect(held(&record, ackTopic: "telecare/v1/devices/d1/acks", eventID: "e1"))
    }

    @Test func twoAnswersHoldBackTwoCopies() {
        var record = AnsweredByLane()
        record.answered(ackTopic: "a", eventID: "e")
        record.answered(ackTopic: "a", eventID: "e")
        #expect(held(&record, ackTopic: "a", eventID: "e"))
        #expect(held(&record, ackTopic: "a", eventID: "e"))
        #expect(!held(&record, ackTopic: "a", eventID: "e"))
    }

    @Test func pastItsLimitTheRecordStartsAgain() {
        var record = AnsweredByLane()
        for i in 0..<AnsweredByLane.limit { record.answered(ackTopic: "a", eventID: "\(i)") }
        #expect(held(&record, ackTopic: "a", eventID: "0"))
        record.answered(ackTopic: "a", eventID: "new")
        record.answered(ackTopic: "a", eventID: "newer")
        #expect(!held(&record, ackTopic: "a", eventID: "1"))
        #expect(held(&record, ackTopic: "a", eventID: "newer"))
    }
}
