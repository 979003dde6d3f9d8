extension Schema {
    /// 2026-11-23-console, released: frozen text. What an operator needs on screen when they pick up an alarm.
    ///
    /// Literal SQL on purpose: the CHECK lists spell out the enum values this release knew, so a new
    /// case in VigilCore cannot change what an old migration did. Never edit this string.
    static let console = #"""
        ALTER TABLE users ADD COLUMN address TEXT;
        ALTER TABLE users ADD COLUMN access_notes TEXT;
        ALTER TABLE users ADD COLUMN conditions TEXT;
        ALTER TABLE devices ADD COLUMN last_battery INTEGER CHECK (last_battery BETWEEN 0 AND 100);
        CREATE INDEX alarms_by_user ON alarms(user_id, raised_at);
        """#
}
