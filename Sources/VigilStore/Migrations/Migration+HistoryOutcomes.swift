extension Schema {
    /// 2026-12-09-history-outcomes (issue 13). Operators close alarms with what the reports need to
    /// tell: a GP appointment requested, an ambulance that took the person to hospital or did not, an
    /// admission, a fall with or without injury. The live `alarms` table keeps any outcome; the history
    /// table's CHECK lists them, so it is rebuilt (Schema.swift's procedure) with the new outcomes and
    /// with `device_fault`, the type Vigil raises itself for a broken Zigbee device, which it lacked.
    /// Nothing refers to alarm_history; its one index is made again as before.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let historyOutcomes = #"""
        CREATE TABLE new_alarm_history (
            id           INTEGER PRIMARY KEY,
            user_id      TEXT NOT NULL REFERENCES users(id),
            type         TEXT NOT NULL CHECK (type IN ('button','fall','smoke','heat','co','gas','flood','temperature','door','bed','chair','inactivity','epilepsy','enuresis','medication','vitals','low_battery','power','tamper','heartbeat','cancel','clear','device_fault')),
            priority     INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
            raised_at    INTEGER NOT NULL,
            claimed_at   INTEGER CHECK (claimed_at IS NULL OR claimed_at >= raised_at),
            resolved_at  INTEGER NOT NULL CHECK (resolved_at >= raised_at),
            outcome      TEXT NOT NULL CHECK (outcome IN ('resolved-on-call','responder-sent','ambulance','fire-service','police-missing-person','false-alarm-accidental','false-alarm-device-fault','no-response-escalated','test','cancelled-at-device','cleared-at-device','contact-restored','gp-appointment','ambulance-conveyed','ambulance-not-conveyed','admitted-to-hospital','fall-injured','fall-not-injured')),
            operator     TEXT,
            escalations  INTEGER NOT NULL DEFAULT 0 CHECK (escalations >= 0),
            care_home    TEXT REFERENCES care_homes(name)
        ) STRICT;
        INSERT INTO new_alarm_history(id, user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home)
            SELECT id, user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home FROM alarm_history;
        DROP TABLE alarm_history;
        ALTER TABLE new_alarm_history RENAME TO alarm_history;
        CREATE INDEX alarm_history_by_time ON alarm_history(raised_at, type, priority, claimed_at, resolved_at, outcome, operator, escalations, care_home);
        """#
}
