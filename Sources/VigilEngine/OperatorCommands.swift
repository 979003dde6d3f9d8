import Foundation
import VigilCore
import VigilStore
import VigilWire

/// The command stage: a console's message becomes a desk command from a known operator, a read
/// of an alarm's detail, or a refusal with the sentence the operator will see. Who may do what is
/// decided by the desk alone; this stage only establishes who is asking and what they ask.
struct OperatorCommands {
    let alarms: AlarmStore

    enum Request: Equatable {
        /// Carry this out at the desk.
        case desk(OperatorCommand, by: OperatorIdentity, ConsoleCommand)
        /// Read-only: answered after the commit, outside the write transaction.
        case detail(code: String, ConsoleCommand)
        /// The operator has seen their notice about the alarm.
        case acknowledge(code: String, ConsoleCommand)
        /// Send a responder: the one named, or the one on call for the person's area (found by the engine).
        case dispatch(code: String, responder: String?, by: OperatorIdentity, ConsoleCommand)
        /// A call the operator made, and how it ended.
        case call(code: String, callee: String, result: CallResult, by: OperatorIdentity, ConsoleCommand)
        /// Going off shift: offer every claim to another operator; take an offer; a supervisor moving
        /// an away operator's claims.
        case handOver(to: OperatorIdentity, note: String, by: OperatorIdentity, ConsoleCommand)
        case acceptHandOver(by: OperatorIdentity, ConsoleCommand)
        case moveClaims(from: String, to: OperatorIdentity, by: OperatorIdentity, ConsoleCommand)
        /// Refused before the desk: audited and answered.
        case refused(String, ConsoleCommand)
        /// Not a command Vigil can read: answered when it carries a request id, never audited (it
        /// names no alarm and may not come from a console at all).
        case unreadable(request: String?, message: String)
    }

    func read(_ payload: [UInt8], from op: String) throws(StoreError) -> Request {
        let command: ConsoleCommand
        switch ConsoleCommand.decode(payload) {
        case .failure(let e):
            return .unreadable(request: e.request, message: e.message)
        case .success(let c):
            command = c
        }
        guard let role = try alarms.operatorRole(op) else {
            return .refused("Operator \(op) is not registered; a supervisor can add them with `vigil operators add`.", command)
        }
        let identity = OperatorIdentity(id: op, role: role)
        switch command.action {
        case .detail:
            return .detail(code: command.alarm, command)
        case .acknowledge:
            return .acknowledge(code: command.alarm, command)
        case .dispatch:
            return .dispatch(code: command.alarm, responder: command.to, by: identity, command)
        case .visit:
            guard let to = command.to, let o = command.outcome, let stage = Visit.Stage(rawValue: o), stage != .dispatched else {
                return .refused("A visit needs \"to\" (the responder) and \"outcome\": en-route, on-site, access-gained, left or cancelled (with \"text\" saying why).", command)
            }
            return .desk(.visit(command.alarm, responder: to, stage: stage, reason: command.text), by: identity, command)
        case .call:
            let results = CallResult.allCases.map(\.rawValue).joined(separator: ", ")
            guard let to = command.to?.trimmingCharacters(in: .whitespaces), !to.isEmpty, to.count <= 200 else {
                return .refused("A call needs \"to\": who was called (1 to 200 characters).", command)
            }
            guard let o = command.outcome, let result = CallResult(rawValue: o) else {
                return .refused("A call needs \"outcome\": one of \(results).", command)
            }
            return .call(code: command.alarm, callee: to, result: result, by: identity, command)
        case .claim:
            return .desk(.claim(command.alarm), by: identity, command)
        case .release:
            return .desk(.release(command.alarm), by: identity, command)
        case .note:
            return .desk(.note(command.alarm, text: command.text ?? ""), by: identity, command)
        case .resolve:
            var outcome: Outcome?
            if let o = command.outcome {
                guard let known = Outcome(rawValue: o) else { return .refused("\(o) is not an outcome. Choose one of: \(Outcome.choiceList).", command) }
                outcome = known
            }
            return .desk(.resolve(command.alarm, outcome: outcome, note: command.text), by: identity, command)
        case .handOver:
            guard let to = command.to, let targetRole = try alarms.operatorRole(to) else {
                return .refused("A hand-over needs \"to\": the id of a registered operator.", command)
            }
            return .handOver(to: OperatorIdentity(id: to, role: targetRole), note: command.text ?? "", by: identity, command)
        case .acceptHandOver:
            return .acceptHandOver(by: identity, command)
        case .moveClaims:
            guard let from = command.from, !from.isEmpty else { return .refused("Moving claims needs \"from\": the operator whose claims to move.", command) }
            guard let to = command.to, let targetRole = try alarms.operatorRole(to) else {
                return .refused("Moving claims needs \"to\": the id of a registered operator.", command)
            }
            return .moveClaims(from: from, to: OperatorIdentity(id: to, role: targetRole), by: identity, command)
        case .reassign:
            guard let to = command.to, let targetRole = try alarms.operatorRole(to) else {
                return .refused("Reassign needs \"to\": the id of a registered operator.", command)
            }
            return .desk(.reassign(command.alarm, to: OperatorIdentity(id: to, role: targetRole)), by: identity, command)
        }
    }
}
