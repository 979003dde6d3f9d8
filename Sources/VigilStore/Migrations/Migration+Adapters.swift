extension Schema {
    /// 2026-11-23-adapters, released: frozen text. Devices that speak Zigbee2MQTT (by friendly name) and the last state each reported.
    ///
    /// Literal SQL on purpose: the CHECK lists spell out the enum values this release knew, so a new
    /// case in VigilCore cannot change what an old migration did. Never edit this string.
    static let adapters = #"""
        ALTER TABLE devices ADD COLUMN zigbee_name TEXT CHECK (zigbee_name IS NULL OR length(zigbee_name) BETWEEN 1 AND 128);
        CREATE UNIQUE INDEX devices_by_zigbee_name ON devices(zigbee_name) WHERE zigbee_name IS NOT NULL;
        ALTER TABLE devices ADD COLUMN property_exit INTEGER NOT NULL DEFAULT 0 CHECK (property_exit IN (0, 1));

        CREATE TABLE zigbee_state (
            device_id   TEXT PRIMARY KEY REFERENCES devices(id),
            state       TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;
        """#
}
