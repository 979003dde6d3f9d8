extension Schema {
    /// 2026-12-05-person-status (issue 12, rule 7).
    ///
    /// `user_status`: a person recorded as away or in hospital, from a day, with an optional note. At
    /// most one row per person; no row means at home. An alarm from them still raises: the status is
    /// shown to the operator, who needs it before calling the house.
    ///
    /// `devices.suspended_at` / `suspended_reason`: a device uninstalled or out of use is no longer
    /// supervised (no no-contact alarm for a unit in a drawer); anything it still sends is stored and
    /// triaged as before. `supervision_changed_at` moves on every suspend and resume, so a running
    /// daemon's registry scan finds the change (it otherwise reads only rows added since its last scan).
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let personStatus = #"""
        CREATE TABLE user_status (
            user_id      TEXT PRIMARY KEY REFERENCES users(id),
            status       TEXT NOT NULL CHECK (status IN ('away', 'hospital')),
            since        TEXT NOT NULL CHECK (date(since) IS since),
            note         TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
            set_at       INTEGER NOT NULL
        ) STRICT;
        ALTER TABLE devices ADD COLUMN suspended_at INTEGER;
        ALTER TABLE devices ADD COLUMN suspended_reason TEXT CHECK (suspended_reason IS NULL OR length(suspended_reason) BETWEEN 1 AND 200);
        ALTER TABLE devices ADD COLUMN supervision_changed_at INTEGER;
        CREATE INDEX devices_by_supervision_change ON devices(supervision_changed_at) WHERE supervision_changed_at IS NOT NULL;
        """#
}
