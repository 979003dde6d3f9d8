import HeapModule

/// Heartbeat supervision for every device that checks in. One heap of deadlines for all devices
/// (stale entries are skipped when popped), so 50,000 devices cost one heap operation per heartbeat,
/// not a timer each.
public struct Supervisor: Sendable {
    struct Watch: Sendable {
        var user: String
        var intervalMillis: EpochMillis
        var isHub: Bool
        var deadline: EpochMillis
        var lastContact: EpochMillis
        var lost: Bool
    }

    struct Deadline: Comparable, Sendable {
        var at: EpochMillis
        var device: String
        static func < (a: Deadline, b: Deadline) -> Bool { (a.at, a.device) < (b.at, b.device) }
    }

    /// What supervision found when time moved on.
    public enum Finding: Sendable, Equatable {
        /// Silent for its interval plus grace: raise a no-contact alarm.
        case lost(device: String, user: String, silentSeconds: Int)
        /// Silent too, but the person's hub is out of contact: recorded, not queued; checked again later.
        case muted(device: String, user: String, hub: String)
    }

    private var watches: [String: Watch] = [:]
    private var hubsByUser: [String: Set<String>] = [:]
    private var heap = Heap<Deadline>()
    public let graceMillis: EpochMillis

    public init(graceSeconds: Int = 120) {
        graceMillis = EpochMillis(graceSeconds) * 1000
    }

    public var count: Int { watches.count }
    public func isSupervised(_ device: String) -> Bool { watches[device] != nil }

    /// Stops watching a device (suspended by an administrator). Its place in the deadline heap is
    /// skipped when it comes up.
    public mutating func forget(_ device: String) { watches[device] = nil }
    public func isLost(_ device: String) -> Bool { watches[device]?.lost ?? false }

    /// Starts (or updates) supervision of a device last heard from at `lastContact`. `lost`: it is
    /// already reported out of contact (an open no-contact alarm survived a restart), so its next
    /// message counts as its return.
    public mutating func supervise(device: String, user: String, intervalSeconds: Int, isHub: Bool, lastContact: EpochMillis, lost: Bool = false) {
        let interval = EpochMillis(intervalSeconds) * 1000
        let w = Watch(user: user, intervalMillis: interval, isHub: isHub, deadline: lastContact + interval + graceMillis, lastContact: lastContact, lost: lost || (watches[device]?.lost ?? false))
        watches[device] = w
        if isHub { hubsByUser[user, default: []].insert(device) }
        heap.insert(Deadline(at: w.deadline, device: device))
    }

    /// The device was heard from. Returns true if it had been reported lost (it is back).
    public mutating func contact(_ device: String, at now: EpochMillis) -> Bool {
        guard var w = watches[device] else { return false }
        let wasLost = w.lost
        w.lost = false
        w.lastContact = now
        w.deadline = now + w.intervalMillis + graceMillis
        watches[device] = w
        heap.insert(Deadline(at: w.deadline, device: device))
        return wasLost
    }

    /// An operator closed the device's no-contact alarm while it is still silent: supervision starts
    /// again from `now`, so the device is raised again after one more interval plus grace unless it
    /// is heard from first. Without this a silent device, once its alarm was resolved, would never be
    /// reported again (and a hub's silence would keep muting the person's other devices for good).
    /// Returns the follow-up deadline, or nil when the device is not lost.
    @discardableResult
    public mutating func rearm(_ device: String, at now: EpochMillis) -> EpochMillis? {
        guard var w = watches[device], w.lost else { return nil }
        w.lost = false
        w.deadline = now + w.intervalMillis + graceMillis
        watches[device] = w
        heap.insert(Deadline(at: w.deadline, device: device))
        return w.deadline
    }

    /// The link to the devices was down (a broker outage) and is back: every device gets at least the
    /// grace period from `now` to be heard from, as at start-up, while the broker delivers what they
    /// sent meanwhile. Devices already reported lost stay so. Costs one heap entry per device whose
    /// deadline moves.
    public mutating func allowGrace(from now: EpochMillis) {
        let floor = now + graceMillis
        for (device, var w) in watches where !w.lost && w.deadline < floor {
            w.deadline = floor
            watches[device] = w
            heap.insert(Deadline(at: floor, device: device))
        }
    }

    /// Everything that has gone silent by `now`. Hubs are judged first so that their devices' silence
    /// in the same instant is muted.
    public mutating func due(now: EpochMillis) -> [Finding] {
        var expired: [String] = []
        while let top = heap.min, top.at <= now {
            _ = heap.removeMin()
            // A later heartbeat replaced this deadline, or the device is already reported: skip.
            guard let w = watches[top.device], w.deadline == top.at, !w.lost else { continue }
            expired.append(top.device)
        }
        expired.sort { (watches[$0]!.isHub ? 0 : 1, $0) < (watches[$1]!.isHub ? 0 : 1, $1) }
        var findings: [Finding] = []
        for device in expired {
            guard var w = watches[device] else { continue }
            let silent = Int((now - w.lastContact) / 1000)
            if !w.isHub, let hub = hubsByUser[w.user]?.first(where: { watches[$0]?.lost == true }) {
                // The unit that carries this device's radio link is down: its silence says nothing new.
                w.deadline = now + w.intervalMillis + graceMillis
                watches[device] = w
                heap.insert(Deadline(at: w.deadline, device: device))
                findings.append(.muted(device: device, user: w.user, hub: hub))
            } else {
                w.lost = true
                watches[device] = w
                findings.append(.lost(device: device, user: w.user, silentSeconds: silent))
            }
        }
        return findings
    }

    /// The earliest deadline still pending (may be a stale one: harmless, it only wakes the owner).
    public var nextDue: EpochMillis? { heap.min?.at }
}
