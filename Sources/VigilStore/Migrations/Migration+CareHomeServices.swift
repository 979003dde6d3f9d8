extension Schema {
    /// 2026-12-10-care-home-services (issue 14). A care home's telehealth go-live day sits beside its
    /// video-support day, so both can be imported and reported. Alarms imported from a previous
    /// system's export keep that system's reference: importing the same export twice finds each alarm
    /// again instead of storing it twice. Alarms Vigil itself wrote (and the demo's) have none.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let careHomeServices = #"""
        ALTER TABLE care_homes ADD COLUMN telehealth_from TEXT
            CHECK (telehealth_from IS NULL OR date(telehealth_from) IS telehealth_from);
        ALTER TABLE alarm_history ADD COLUMN import_ref TEXT
            CHECK (import_ref IS NULL OR length(import_ref) BETWEEN 1 AND 64);
        CREATE UNIQUE INDEX alarm_history_by_import_ref ON alarm_history(import_ref) WHERE import_ref IS NOT NULL;
        """#
}
