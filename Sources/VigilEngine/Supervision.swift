import VigilCore
import VigilStore

/// Heartbeat supervision as the engine runs it: the `Supervisor` state machine, fed by every
/// message a device sends and by the registry (devices registered while the daemon runs are
/// picked up within `scanMillis`).
struct Supervision {
    private(set) var supervisor: Supervisor
    private var scannedUpTo: Int64 = 0
    /// The highest suspend/resume mark read (`devices.supervision_changed_at`).
    private var changesSeenUpTo: Int64 = 0
    private(set) var lastScan: EpochMillis = 0
    static let scanMillis: EpochMillis = 5_000

    init(graceSeconds: Int) {
        supervisor = Supervisor(graceSeconds: graceSeconds)
    }

    /// A message from `device`: contact. Returns true when the device had been reported lost.
    mutating func heard(from device: String, _ registered: RegisteredDevice, now: EpochMillis) -> Bool {
        if let interval = registered.heartbeatSeconds, !supervisor.isSupervised(device) {
            supervisor.supervise(device: device, user: registered.userID, intervalSeconds: interval, isHub: registered.kind == .hub, lastContact: now)
        }
        return supervisor.contact(device, at: now)
    }

    var scanDue: EpochMillis { lastScan + Self.scanMillis }

    /// Starts supervising devices registered since the last scan. `lost(device)` says whether a
    /// device already has an open no-contact alarm (it survived a restart).
    mutating func scanRegistry(_ alarms: AlarmStore, now: EpochMillis, startingUp: Bool, lost: (String) -> Bool) throws {
        lastScan = now
        for d in try alarms.supervisedDevices(afterRow: scannedUpTo, changedAfter: changesSeenUpTo) {
            let isNew = d.rowID > scannedUpTo
            scannedUpTo = max(scannedUpTo, d.rowID)
            changesSeenUpTo = max(changesSeenUpTo, d.changeMark ?? 0)
            if d.suspended {
                // Suspended (uninstalled, in a drawer): no more no-contact alarms. One already open
                // stays for an operator to resolve.
                supervisor.forget(d.device)
                continue
            }
            guard !supervisor.isSupervised(d.device) else { continue }
            if !isNew && !startingUp {
                // Resumed: watched from now, a whole interval and the grace before it counts as silent.
                supervisor.supervise(device: d.device, user: d.user, intervalSeconds: d.heartbeatSeconds, isHub: d.isHub, lastContact: now, lost: lost(d.device))
                continue
            }
            // After a restart every device gets at least the grace period to be heard from (the broker
            // is still delivering what they sent while Vigil was down) before it counts as silent.
            let interval = EpochMillis(d.heartbeatSeconds) * 1000
            let last = startingUp ? max(d.lastContact ?? now, now - interval) : (d.lastContact ?? now)
            supervisor.supervise(device: d.device, user: d.user, intervalSeconds: d.heartbeatSeconds, isHub: d.isHub, lastContact: last, lost: lost(d.device))
        }
    }

    /// A no-contact alarm was resolved by a person while the device is still silent: watch it again.
    mutating func rearm(_ device: String, now: EpochMillis) -> EpochMillis? { supervisor.rearm(device, at: now) }

    /// Whether devices can reach Vigil: false from a lost or refused broker connection until the next
    /// accepted one. A device's silence means nothing while it is false, so no finding is made; timers
    /// of other kinds (escalation) keep running.
    private(set) var linkUp = true

    mutating func brokerLost() { linkUp = false }

    /// The broker connection came back: the start-up grace again for every device.
    mutating func brokerReconnected(now: EpochMillis) {
        linkUp = true
        supervisor.allowGrace(from: now)
    }

    mutating func due(now: EpochMillis) -> [Supervisor.Finding] { linkUp ? supervisor.due(now: now) : [] }
    var nextDue: EpochMillis? { linkUp ? supervisor.nextDue : nil }
    var count: Int { supervisor.count }
}
