import ArgumentParser
import Foundation
import Mosquitto
import VigilCommandLine
import VigilCore
import VigilWire

/// `vigil alarm claim|release|note|resolve|reassign|call|dispatch|visit`: an operator's actions, sent to the daemon over
/// the console protocol (it never writes the database behind the daemon's back).
struct AlarmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarm",
        abstract: "Act on an alarm as an operator, through vigil serve. Exits non-zero with the daemon's reason when refused.",
        subcommands: [Claim.self, Release.self, Note.self, Resolve.self, Reassign.self, Call.self, Dispatch.self, Visit.self])

    struct Connection: ParsableArguments {
        @OptionGroup var link: ConsoleLink
        @Argument(help: "The alarm code, e.g. A-2026-000913.") var alarm: String

        func send(_ action: ConsoleCommand.Action, outcome: String? = nil, text: String? = nil, to: String? = nil) throws {
            try link.send(action, alarm: alarm, outcome: outcome, text: text, to: to)
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Claim an alarm (exclusive: one operator holds it).")
        @OptionGroup var connection: Connection
        func run() throws { try connection.send(.claim) }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give an alarm you hold back to the queue.")
        @OptionGroup var connection: Connection
        func run() throws { try connection.send(.release) }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to an alarm.")
        @OptionGroup var connection: Connection
        @Option(help: "The note.") var text: String
        func run() throws { try connection.send(.note, text: text) }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve an alarm you hold, with its outcome.",
            discussion: "Outcomes: \(Outcome.operatorChoices.map(\.rawValue).joined(separator: ", ")).")
        @OptionGroup var connection: Connection
        @Option(help: "The outcome code (required by the daemon).") var outcome: String?
        @Option(help: "A closing note.") var text: String?
        func run() throws { try connection.send(.resolve, outcome: outcome, text: text) }
    }

    struct Reassign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Supervisors: give an alarm to another operator.")
        @OptionGroup var connection: Connection
        @Option(help: "The operator to give it to.") var to: String
        func run() throws { try connection.send(.reassign, to: to) }
    }

    struct Call: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a call you made for an alarm you hold: who, and how it ended.",
            discussion: "Results: \(CallResult.allCases.map(\.rawValue).joined(separator: ", ")). Example: vigil alarm call --operator op1 A-2026-000001 --to \"Mary (daughter)\" --result no-answer")
        @OptionGroup var connection: Connection
        @Option(help: "Who was called, as the call list names them.") var to: String
        @Option(help: "How the call ended.") var result: String
        func run() throws { try connection.send(.call, outcome: result, to: to) }
    }

    struct Dispatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a mobile responder to an alarm you hold: the one named, or the one on call for the person's area.")
        @OptionGroup var connection: Connection
        @Option(help: "A responder's id (default: whoever the rota has on call for the person's area).") var to: String?
        func run() throws { try connection.send(.dispatch, to: to) }
    }

    struct Visit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a responder's progress told by phone: en-route, on-site, access-gained, left, or cancelled with --text saying why.")
        @OptionGroup var connection: Connection
        @Option(help: "The responder's id.") var responder: String
        @Option(help: "en-route, on-site, access-gained (in the home), left or cancelled.") var stage: String
        @Option(help: "Why, for a cancellation.") var text: String?
        func run() throws { try connection.send(.visit, outcome: stage, text: text, to: responder) }
    }
}

/// The broker, the operator's login and how long to wait: what every command sent to the daemon over
/// the console protocol needs.
struct ConsoleLink: ParsableArguments {
    @OptionGroup var broker: BrokerOptions
    @OptionGroup var login: OperatorLogin
    @Option(help: "Give up waiting for the daemon's reply after this many seconds.") var timeout: Double = 10

    /// Sends one command and waits for its reply.
    func send(_ action: ConsoleCommand.Action, alarm: String, outcome: String? = nil, text: String? = nil, to: String? = nil, from: String? = nil) throws {
        let address = try broker.address()
        let (username, password) = try login.credentials()
        let `operator` = login.operator
        let topics = ConsoleTopics(prefix: broker.topicPrefix)
        let request = "cli-\(UInt64(Date().timeIntervalSince1970 * 1000))-\(UInt32.random(in: 0...UInt32.max))"
        let client = try MosquittoClient(.init(host: address.host, port: address.port, clientID: nil, cleanSession: true,
                                               username: username, password: password))
        try client.subscribe(topics.replies(`operator`), qos: 1)
        let deadline = Date().addingTimeInterval(timeout)
        let reader = WireDecoder()
        var sent = false
        while Date() < deadline {
            for e in client.pump(timeoutMilliseconds: 20) {
                switch e {
                case .connected(let code) where code != 0:
                    client.disconnect()
                    throw UserFacingError("The broker refused the login for \(`operator`) (CONNACK \(code)): check --password-file.")
                case .subscribed where !sent:
                    let command = ConsoleCommand(request: request, action: action, alarm: alarm, outcome: outcome, text: text, to: to, from: from)
                    try client.publish(topics.commands(`operator`), WireEncoder().encode(command), qos: 1)
                    sent = true
                case .message(let m):
                    guard let reply = reader.decode(ConsoleReply.self, from: m.payload), reply.request == request else { continue }
                    client.disconnect()
                    if reply.ok {
                        print("\(reply.alarm ?? (alarm.isEmpty ? `operator` : alarm)): \(action.rawValue) done (\(reply.state ?? "ok"))")
                        return
                    }
                    FileHandle.standardError.write(Data("refused: \(reply.error ?? "no reason given")\n".utf8))
                    throw ExitCode(1)
                default:
                    break
                }
            }
        }
        client.disconnect()
        throw UserFacingError(sent ? "No reply from vigil serve within \(Int(timeout)) s: is it running and connected to \(address)?"
                                   : "Could not reach the broker at \(address) within \(Int(timeout)) s.")
    }
}

/// `vigil shift hand-over|take|move`: going off shift with claims in hand.
struct ShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift",
        abstract: "Hand your claims to another operator as you go off shift, take a hand-over, or (supervisors) move an away operator's claims.",
        discussion: "Example: vigil shift hand-over --operator op1 --to op2 --note \"A-…913: daughter on her way; A-…915: GP to ring back\"",
        subcommands: [HandOver.self, Take.self, Move.self])

    struct HandOver: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hand-over", abstract: "Offer every claim you hold to --to, with one note; they stay yours until taken.")
        @OptionGroup var link: ConsoleLink
        @Option(help: "The operator taking over.") var to: String
        @Option(help: "What is in hand on these alarms.") var note: String
        func run() throws { try link.send(.handOver, alarm: "", text: note, to: to) }
    }

    struct Take: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the claims offered to you.")
        @OptionGroup var link: ConsoleLink
        func run() throws { try link.send(.acceptHandOver, alarm: "") }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Supervisors: move every claim of an operator who is away to another.")
        @OptionGroup var link: ConsoleLink
        @Option(help: "The operator who is away.") var from: String
        @Option(help: "The operator to give the claims to.") var to: String
        @Option(help: "Why, for the audit trail.") var note: String?
        func run() throws { try link.send(.moveClaims, alarm: "", text: note, to: to, from: from) }
    }
}
