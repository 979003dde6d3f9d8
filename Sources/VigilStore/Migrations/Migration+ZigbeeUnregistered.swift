extension Schema {
    /// 2026-12-06-zigbee-unregistered (issue 12, section 10). A Zigbee2MQTT bridge publishes the state
    /// of everything paired to it — bulbs, plugs, groups, republished `/action` topics — and most of it
    /// is nobody's alarm. Instead of one dead letter per message, each topic nobody registered is one
    /// row: how many messages, first and last heard, the last payload as received, and the last state
    /// the adapter read from it (so an emergency from an unpaired sensor is raised on its transition,
    /// not again on every state report).
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let zigbeeUnregistered = #"""
        CREATE TABLE zigbee_unregistered (
            topic             TEXT PRIMARY KEY,
            messages          INTEGER NOT NULL CHECK (messages >= 1),
            first_heard       INTEGER NOT NULL,
            last_heard        INTEGER NOT NULL,
            last_payload      BLOB NOT NULL,
            last_payload_size INTEGER NOT NULL,
            state             TEXT
        ) STRICT;
        """#
}
