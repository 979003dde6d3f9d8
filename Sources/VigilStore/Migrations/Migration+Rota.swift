extension Schema {
    /// 2026-12-06-rota (issue 13: the responder rota).
    ///
    /// `mobile_responders`: the centre's mobile response team, each with the handset number an
    /// operator rings. Their id is their MQTT login on `telecare/v1/responders/{id}/…`.
    ///
    /// `rota_shifts`: who is on call for an area from `starts_at` until `ends_at` (the hand-off;
    /// the next shift starts at that instant). `rota` rows form an area's rotation and never overlap
    /// each other; an `override` (sickness, a swap) covers part of it and names why.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let rota = #"""
        CREATE TABLE mobile_responders (
            id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            phone      TEXT NOT NULL CHECK (length(phone) BETWEEN 1 AND 40),
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE rota_shifts (
            id           INTEGER PRIMARY KEY,
            area         INTEGER NOT NULL CHECK (area BETWEEN 1 AND 8),
            responder_id TEXT NOT NULL REFERENCES mobile_responders(id),
            starts_at    INTEGER NOT NULL,
            ends_at      INTEGER NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('rota', 'override')),
            reason       TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
            created_at   INTEGER NOT NULL,
            CHECK (ends_at > starts_at),
            CHECK (kind = 'rota' OR reason IS NOT NULL)
        ) STRICT;
        CREATE INDEX rota_shifts_by_area ON rota_shifts(area, starts_at);
        """#
}
