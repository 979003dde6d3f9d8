extension Schema {
    /// 2026-12-04-targets (issue 14): the service's targets are data a manager sets, not code.
    /// Seeded with the service's published figures, the defaults a new database starts with:
    /// 8,615 / 10,115 / 11,615 / 13,115 people at 31 March of 2016/17 … 2019/20; 85 / 87 / 89 / 90 %
    /// of users and carers satisfied; 6,000 more people supported than at the start of 2015/16.
    /// `year` is the calendar year a financial year starts in (2017 for 2017/18).
    static let targets = #"""
        CREATE TABLE caseload_targets (
            year    INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),
            people  INTEGER NOT NULL CHECK (people >= 0)
        ) STRICT;
        CREATE TABLE satisfaction_targets (
            year   INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),
            share  REAL NOT NULL CHECK (share >= 0 AND share <= 1)
        ) STRICT;
        -- At most one commitment: "extra_users more people current than at the start of baseline".
        CREATE TABLE caseload_commitment (
            id           INTEGER PRIMARY KEY CHECK (id = 1),
            baseline     TEXT NOT NULL CHECK (date(baseline) IS baseline),
            extra_users  INTEGER NOT NULL CHECK (extra_users > 0)
        ) STRICT;
        INSERT INTO caseload_targets(year, people) VALUES (2016, 8615), (2017, 10115), (2018, 11615), (2019, 13115);
        INSERT INTO satisfaction_targets(year, share) VALUES (2016, 0.85), (2017, 0.87), (2018, 0.89), (2019, 0.90);
        INSERT INTO caseload_commitment(id, baseline, extra_users) VALUES (1, '2015-04-01', 6000);
        """#
}
