extension Schema {
    /// 2026-12-04-restore (issue 15, part 5).
    ///
    /// Adds `alarm_code_mark`: the highest alarm id (and so alarm code, `A-{year}-{id}`) ever issued on
    /// this database, one row. A trigger raises it on every new alarm. `alarms.id` alone is not enough:
    /// after a backup is restored, the alarms raised since the backup are gone from `alarms`, and
    /// SQLite would hand their ids (and codes) out again. `vigil restore` carries the mark over from
    /// the database it replaces, and the daemon starts numbering after it.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let restore = #"""
        CREATE TABLE alarm_code_mark (
            only         INTEGER PRIMARY KEY CHECK (only = 1),
            highest_id   INTEGER NOT NULL CHECK (highest_id >= 0)
        ) STRICT;
        INSERT INTO alarm_code_mark(only, highest_id) SELECT 1, coalesce(max(id), 0) FROM alarms;
        CREATE TRIGGER alarms_raise_code_mark AFTER INSERT ON alarms
        BEGIN
            UPDATE alarm_code_mark SET highest_id = NEW.id WHERE only = 1 AND highest_id < NEW.id;
        END;
        """#
}
