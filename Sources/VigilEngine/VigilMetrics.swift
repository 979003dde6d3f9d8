import CoreMetrics
import Metrics
import VigilCore
import VigilWebhook

/// Every metric Vigil exports, by name, in one place: the ingest loop records most of them, and the
/// escalation, notice and webhook code calls the rest by these names. Names follow Prometheus's
/// conventions (`_total` for counters, base units, `_seconds`); labels are bounded (a reason code,
/// a priority, a state, a webhook name from the config) and never carry a person or a device.
/// The alert rules in deploy/prometheus/vigil-alerts.yml are written against these names.
public enum VigilMetrics {
    /// Counter: events stored and acknowledged `accepted`.
    public static let eventsAccepted = "vigil_events_accepted_total"
    /// Counter: events already stored (same device and id), acknowledged `duplicate`.
    public static let eventsDuplicate = "vigil_events_duplicate_total"
    /// Counter, label `reason` (`unknown_device`, `not_json`, …): events refused, each a dead letter.
    public static let eventsRejected = "vigil_events_rejected_total"
    /// Counter: floods begun — a device's first event past its budget since it last kept within it
    /// (each raises a P3 "device flooding"; the events refused are `eventsRejected{reason="rate_limited"}`).
    public static let deviceFloods = "vigil_device_floods_total"
    /// Counter: messages on Zigbee2MQTT topics nobody registered (bulbs, groups, unpaired sensors).
    public static let zigbeeUnregistered = "vigil_zigbee_unregistered_messages_total"
    /// Counter: alarm-looking Zigbee keys Vigil does not read, each time one became active.
    public static let unrecognised = "vigil_device_unrecognised_reports_total"
    /// Counter, label `priority` (1–3): alarms raised.
    public static let alarmsRaised = "vigil_alarms_raised_total"
    /// Histogram (seconds): one group commit, from BEGIN to COMMIT returning (the fsync included).
    public static let commitDuration = "vigil_commit_duration_seconds"
    /// Histogram: messages in one group commit.
    public static let batchSize = "vigil_batch_size"
    /// Gauge, labels `priority` and `state` (`raised`, `claimed`): alarms in the queue.
    public static let alarmsOpen = "vigil_alarms_open"
    /// Gauge, label `priority`: age in seconds of the oldest unclaimed alarm (0 when none).
    public static let oldestUnclaimed = "vigil_oldest_unclaimed_seconds"
    /// Counter, labels `priority` and `kind` (`escalated`, `reminder`): escalation steps fired.
    public static let escalationSteps = "vigil_escalation_steps_total"
    /// Counters: notices sent to operators' consoles, and those that could not be sent.
    public static let noticesSent = "vigil_notices_sent_total"
    public static let noticesFailed = "vigil_notices_failed_total"
    /// Counters, label `webhook` (its name in the config): webhook deliveries that succeeded, and
    /// attempts that failed (each retry counts; so does the last attempt of a call given up).
    public static let webhookSent = "vigil_webhook_deliveries_sent_total"
    public static let webhookFailed = "vigil_webhook_deliveries_failed_total"
    /// Counter, label `webhook`: calls that will never arrive — given up after their last attempt, or
    /// refused because the delivery queue was full or the daemon stopping.
    public static let webhookGaveUp = "vigil_webhook_deliveries_gave_up_total"
    /// Gauge: webhook calls held by the delivery component (waiting and in flight; at most 1,000).
    public static let webhookQueueDepth = "vigil_webhook_queue_depth"
    /// Gauge: operators whose console is present.
    public static let operatorsOnDuty = "vigil_operators_on_duty"
    /// Gauge: areas where people live with nobody on call in the responder rota in the next 24 hours.
    public static let rotaGapAreas = "vigil_rota_gap_areas"
    /// Gauge: 1 while the broker has accepted the daemon's connection, else 0.
    public static let brokerConnected = "vigil_broker_connected"
    /// Gauge: Unix time in seconds of the last successful group commit.
    public static let lastCommit = "vigil_last_commit_timestamp_seconds"
    /// Gauge: bytes free on the database's filesystem (as an unprivileged writer sees it).
    public static let diskFree = "vigil_disk_free_bytes"
    /// Gauge: 1 while free space is below the floor and only emergencies are accepted, else 0.
    public static let diskLow = "vigil_disk_low"
    /// Counter: messages left unacknowledged (devices resend them) because the disk was below its floor.
    public static let heldForDisk = "vigil_events_held_for_disk_total"
    /// Counter: database pages the ingest connection appended to the WAL (per event, what the disk pays).
    public static let walPages = "vigil_store_wal_pages_total"
    /// Counter: messages the daemon handed to the broker: acks, queue entries, notices, its status.
    public static let published = "vigil_mqtt_messages_published_total"
    /// Gauge: 1 while the fresh lane is open (the daemon is delivering what the broker held for it
    /// and reads new events ahead of that backlog), else 0.
    public static let freshLaneOpen = "vigil_fresh_lane_open"
    /// Counter: device messages the fresh lane read (while a backlog was being delivered).
    public static let freshLaneMessages = "vigil_fresh_lane_messages_total"
    /// Counter: fresh lanes that ended before the backlog was delivered (the mark not back in ten
    /// minutes, the lane's login refused, its connection lost): from then on new events wait behind
    /// what is left of the backlog.
    public static let freshLaneGaveUp = "vigil_fresh_lane_gave_up_total"
    /// Gauge: Unix time in seconds at which the metrics file was written (a stale file is a dead daemon).
    public static let written = "vigil_metrics_written_timestamp_seconds"

    /// Every name above, for the alert rules' test.
    public static let all: [String] = [
        eventsAccepted, eventsDuplicate, eventsRejected, deviceFloods, zigbeeUnregistered, unrecognised, alarmsRaised, commitDuration, batchSize, alarmsOpen,
        oldestUnclaimed, escalationSteps, noticesSent, noticesFailed, webhookSent, webhookFailed, webhookGaveUp, webhookQueueDepth,
        operatorsOnDuty, rotaGapAreas, brokerConnected, lastCommit, diskFree, diskLow, heldForDisk, walPages, published,
        freshLaneOpen, freshLaneMessages, freshLaneGaveUp, written,
    ]
}

/// The ingest loop's instruments. It turns the engine's plain counters into metric increments
/// after each batch (the engine itself stays free of the metrics API), and sets the queue gauges
/// from the desk. Owned by the ingest thread.
final class IngestMetrics {
    private let accepted = Counter(label: VigilMetrics.eventsAccepted)
    private let duplicates = Counter(label: VigilMetrics.eventsDuplicate)
    private let floods = Counter(label: VigilMetrics.deviceFloods)
    private let zigbeeUnregistered = Counter(label: VigilMetrics.zigbeeUnregistered)
    private let unrecognised = Counter(label: VigilMetrics.unrecognised)
    private var rejected: [String: Counter] = [:]
    private var raised: [Priority: Counter] = [:]
    private var steps: [String: Counter] = [:]
    private let commit = Metrics.Timer(label: VigilMetrics.commitDuration)
    private let batch = Recorder(label: VigilMetrics.batchSize)
    private let broker = Gauge(label: VigilMetrics.brokerConnected)
    private let diskFree = Gauge(label: VigilMetrics.diskFree)
    private let diskLow = Gauge(label: VigilMetrics.diskLow)
    private let held = Counter(label: VigilMetrics.heldForDisk)
    private let lastCommit = Gauge(label: VigilMetrics.lastCommit)
    private let walPages = Counter(label: VigilMetrics.walPages)
    private var walPagesSeen: Int64 = 0
    private let published = Counter(label: VigilMetrics.published)
    private let rotaGaps = Gauge(label: VigilMetrics.rotaGapAreas)
    private var seen = IngestCounters()
    private var webhookCounters: [String: Counter] = [:]
    private let webhookDepth = Gauge(label: VigilMetrics.webhookQueueDepth)
    private var lastDepth = 0
    private let laneOpen = Gauge(label: VigilMetrics.freshLaneOpen)
    private let laneMessages = Counter(label: VigilMetrics.freshLaneMessages)
    private let laneGaveUp = Counter(label: VigilMetrics.freshLaneGaveUp)

    init() {
        broker.record(0)
        laneOpen.record(0)
        webhookDepth.record(0)
        for p in Priority.allCases {
            for state in [Alarm.Status.raised, .claimed] {
                Gauge(label: VigilMetrics.alarmsOpen, dimensions: [("priority", "\(p.rawValue)"), ("state", state.rawValue)]).record(0)
            }
            Gauge(label: VigilMetrics.oldestUnclaimed, dimensions: [("priority", "\(p.rawValue)")]).record(0)
        }
    }

    /// The fresh lane opened, or closed (`gaveUp`: before the backlog was delivered).
    func lane(open: Bool, gaveUp: Bool = false) {
        laneOpen.record(open ? 1 : 0)
        if gaveUp { laneGaveUp.increment() }
    }

    /// Messages the fresh lane read ahead of the backlog.
    func readAhead(_ count: Int) {
        if count > 0 { laneMessages.increment(by: count) }
    }

    /// Messages handed to the broker.
    func published(_ count: Int) {
        if count > 0 { published.increment(by: count) }
    }

    /// One committed batch of `size` messages that took `nanoseconds`, at `now`, after which the
    /// ingest connection has appended `walPages` pages to the WAL since it opened.
    func committed(size: Int, nanoseconds: Int64, now: EpochMillis, walPages pages: Int64, counters c: IngestCounters) {
        commit.recordNanoseconds(nanoseconds)
        if pages > walPagesSeen { walPages.increment(by: pages - walPagesSeen) }
        walPagesSeen = pages
        if size > 0 { batch.record(size) }
        lastCommit.record(Double(now) / 1000)
        if c.accepted > seen.accepted { accepted.increment(by: c.accepted - seen.accepted) }
        if c.duplicates > seen.duplicates { duplicates.increment(by: c.duplicates - seen.duplicates) }
        if c.floods > seen.floods { floods.increment(by: c.floods - seen.floods) }
        if c.unregisteredZigbee > seen.unregisteredZigbee { zigbeeUnregistered.increment(by: c.unregisteredZigbee - seen.unregisteredZigbee) }
        if c.heldForDisk > seen.heldForDisk { held.increment(by: c.heldForDisk - seen.heldForDisk) }
        if c.unrecognised > seen.unrecognised { unrecognised.increment(by: c.unrecognised - seen.unrecognised) }
        for (reason, n) in c.byReason where n > seen.byReason[reason, default: 0] {
            counter(&rejected, reason, VigilMetrics.eventsRejected, [("reason", reason)]).increment(by: n - seen.byReason[reason, default: 0])
        }
        for (p, n) in c.raisedByPriority where n > seen.raisedByPriority[p, default: 0] {
            counter(&raised, p, VigilMetrics.alarmsRaised, [("priority", "\(p.rawValue)")]).increment(by: n - seen.raisedByPriority[p, default: 0])
        }
        for (key, n) in c.escalationSteps where n > seen.escalationSteps[key, default: 0] {
            let parts = key.split(separator: "/").map(String.init)
            counter(&steps, key, VigilMetrics.escalationSteps, [("priority", parts[0]), ("kind", parts[1])]).increment(by: n - seen.escalationSteps[key, default: 0])
        }
        seen = c
    }

    private func counter<K: Hashable>(_ cache: inout [K: Counter], _ key: K, _ label: String, _ dimensions: [(String, String)]) -> Counter {
        if let c = cache[key] { return c }
        let c = Counter(label: label, dimensions: dimensions)
        cache[key] = c
        return c
    }

    func broker(connected: Bool) { broker.record(connected ? 1 : 0) }

    func disk(freeBytes: Int64?, low: Bool) {
        if let freeBytes { diskFree.record(freeBytes) }
        diskLow.record(low ? 1 : 0)
    }

    func cover(areasWithGap: Int) { rotaGaps.record(areasWithGap) }

    /// What the delivery component reported since the last turn.
    func webhooks(_ reports: [WebhookReport]) {
        for r in reports {
            func count(_ label: String) {
                counter(&webhookCounters, "\(label)/\(r.webhook)", label, [("webhook", r.webhook)]).increment()
            }
            switch r.outcome {
            case .delivered: count(VigilMetrics.webhookSent)
            case .failed: count(VigilMetrics.webhookFailed)
            case .gaveUp:
                count(VigilMetrics.webhookFailed)
                count(VigilMetrics.webhookGaveUp)
            case .refused: count(VigilMetrics.webhookGaveUp)
            // Neither sent nor failed: it waits in the outbox for the next start.
            case .kept: break
            }
        }
    }

    /// Calls the delivery component holds now; the gauge is written only when it moves.
    func webhookQueue(depth: Int) {
        guard depth != lastDepth else { return }
        lastDepth = depth
        webhookDepth.record(depth)
    }

    /// The queue as it stands: open alarms by priority and state, and the oldest unclaimed age.
    func queue(_ open: some Collection<Alarm>, now: EpochMillis) {
        for p in Priority.allCases {
            let mine = open.filter { $0.priority == p }
            var raised = 0, claimed = 0
            var oldest: EpochMillis?
            for a in mine {
                switch a.state {
                case .raised:
                    raised += 1
                    oldest = min(oldest ?? a.raisedAt, a.raisedAt)
                case .claimed: claimed += 1
                case .resolved: break
                }
            }
            Gauge(label: VigilMetrics.alarmsOpen, dimensions: [("priority", "\(p.rawValue)"), ("state", "raised")]).record(raised)
            Gauge(label: VigilMetrics.alarmsOpen, dimensions: [("priority", "\(p.rawValue)"), ("state", "claimed")]).record(claimed)
            Gauge(label: VigilMetrics.oldestUnclaimed, dimensions: [("priority", "\(p.rawValue)")]).record(Double(max(0, now - (oldest ?? now))) / 1000)
        }
    }
}
