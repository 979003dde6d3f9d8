import VigilStore

extension Chaos {
    /// Every valid event stored exactly once; no invalid one stored; a dead letter for each invalid one.
    func checkStore(_ db: Inspection, deadBefore: [String: Int]) throws {
        let pattern = "\(tag)-%"
        let stored = try db.storedEvents(eventIDLike: pattern)
        var storedKeys = Set<String>()
        for (key, n) in stored {
            storedKeys.insert(key)
            if n != 1 { report.failures.append("\(key) stored \(n) times") }
            if !validKeys.contains(key) { report.failures.append("\(key) was stored but is not a valid event") }
        }
        let missing = validKeys.subtracting(storedKeys)
        for key in missing.sorted().prefix(20) { report.failures.append("\(key) is not stored") }
        if missing.count > 20 { report.failures.append("… and \(missing.count - 20) more valid events not stored") }

        // Dead letters with a readable id, by kind; without one, by reason count since the start.
        let byReason = try db.deadLetterCounts(eventIDLike: pattern)
        var deadNow = try db.deadLetterCounts()
        // Unreadable payloads arrive with no ack to wait for: give the daemon a moment to store them.
        let deadline = monotonicNanos() + 10_000_000_000
        while noIDSent.contains(where: { (deadNow[$0.key] ?? 0) - (deadBefore[$0.key] ?? 0) < $0.value }) && monotonicNanos() < deadline {
            publisher.service(timeoutMilliseconds: 50)
            deadNow = try db.deadLetterCounts()
        }
        for kind in ChaosKind.allCases {
            guard let reason = kind.deadLetterReason, let sent = report.rows[kind]?.sent else { continue }
            let found = kind.expectedAck == nil ? (deadNow[reason] ?? 0) - (deadBefore[reason] ?? 0) : (byReason[reason] ?? 0)
            report.update(kind) { $0.deadLetters = found }
            if found < sent { report.failures.append("\(kind.rawValue): \(sent) sent, \(found) dead letters with reason \(reason)") }
        }
    }
}
