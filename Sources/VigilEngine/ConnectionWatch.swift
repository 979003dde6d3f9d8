import VigilCore

/// What the broker's answers over time say about the daemon's login, judged once so the log says it
/// once: a login the broker keeps refusing is fatal (a wrong password does not heal by retrying for
/// ever while systemd shows the unit active); connections dropped within seconds of being accepted,
/// again and again, mean another client holds the same client id.
struct ConnectionWatch {
    enum Verdict: Equatable {
        case fine
        /// Refused this many times in a row with a code that retrying cannot fix: stop.
        case loginRefused(code: Int32, times: Int)
        /// Reported once per episode; a connection that lasts ends the episode.
        case clientIDTakenOver(times: Int)
    }

    /// CONNACK codes of MQTT 3.1.1 that only a person can fix: 2 identifier rejected, 4 bad user
    /// name or password, 5 not authorised.
    static let fatalCodes: Set<Int32> = [2, 4, 5]
    static let refusalsBeforeExit = 3
    static let shortLivedMillis: EpochMillis = 5_000
    static let dropsBeforeReport = 3

    private var refusals = 0
    private var acceptedAt: EpochMillis?
    private var shortLived = 0
    private var reported = false
    /// The last CONNACK refused the login: the disconnect that follows says nothing new.
    private(set) var refusedLast = false

    mutating func connack(_ code: Int32, now: EpochMillis) -> Verdict {
        refusedLast = code != 0
        guard code != 0 else {
            refusals = 0
            acceptedAt = now
            return .fine
        }
        acceptedAt = nil
        guard Self.fatalCodes.contains(code) else {
            refusals = 0
            return .fine
        }
        refusals += 1
        return refusals >= Self.refusalsBeforeExit ? .loginRefused(code: code, times: refusals) : .fine
    }

    mutating func disconnected(now: EpochMillis) -> Verdict {
        guard let at = acceptedAt else { return .fine }
        acceptedAt = nil
        guard now - at < Self.shortLivedMillis else {
            shortLived = 0
            reported = false
            return .fine
        }
        shortLived += 1
        guard shortLived >= Self.dropsBeforeReport, !reported else { return .fine }
        reported = true
        return .clientIDTakenOver(times: shortLived)
    }

    /// Whether disconnect warnings should still be logged (not while a takeover fight goes on).
    var quiet: Bool { reported }

    /// The CONNACK code in words, for the one line an engineer reads.
    static func meaning(_ code: Int32) -> String {
        switch code {
        case 1: "unacceptable protocol version"
        case 2: "client id rejected"
        case 3: "broker unavailable"
        case 4: "bad user name or password"
        case 5: "not authorised"
        default: "refused (code \(code))"
        }
    }
}

/// The daemon cannot go on: said in a sentence, and the process exits non-zero.
public struct IngestCannotContinue: Error, CustomStringConvertible {
    public var description: String
}
