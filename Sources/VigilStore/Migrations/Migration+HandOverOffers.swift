extension Schema {
    /// 2026-12-08-hand-over-offers (issue 13). An operator going off shift offers their claims to
    /// another; until the other takes them the claims stay with the one leaving. The offer lived in
    /// the daemon's memory, so a restart withdrew it and the receiver's banner with it, and the
    /// operator leaving had to offer again. Now it is kept: one offer per receiver (a new one
    /// replaces it), with the alarms it named in order, deleted when taken or withdrawn.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let handOverOffers = #"""
        CREATE TABLE hand_over_offers (
            receiver   TEXT PRIMARY KEY,
            giver      TEXT NOT NULL CHECK (giver <> receiver),
            note       TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
            offered_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE hand_over_alarms (
            receiver   TEXT NOT NULL REFERENCES hand_over_offers(receiver),
            position   INTEGER NOT NULL,
            alarm_code TEXT NOT NULL,
            PRIMARY KEY (receiver, position)
        ) STRICT;
        """#
}
