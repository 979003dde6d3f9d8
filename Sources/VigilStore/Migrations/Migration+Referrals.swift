extension Schema {
    /// 2026-12-06-referrals (issue 14, part 2: referrals as records).
    ///
    /// `referrals`: one referral to the service — the day it was received, who sent it, whether it
    /// is urgent (a hospital discharge, a care package about to fail), and how it ended: installed
    /// (with the day), declined or not eligible; no outcome while it is still open. `user_id` names
    /// the person once they are registered; a referral that never became a service may have none.
    /// `referral_groups`: the priority groups a referral was made under (one or several).
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let referrals = #"""
        CREATE TABLE referrals (
            id            TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            user_id       TEXT REFERENCES users(id),
            received_on   TEXT NOT NULL CHECK (received_on IS date(received_on)),
            source        TEXT NOT NULL CHECK (source IN ('hospital','gp','social-care','health','self','family','other')),
            urgent        INTEGER NOT NULL CHECK (urgent IN (0, 1)),
            outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('installed','declined','not-eligible')),
            installed_on  TEXT CHECK (installed_on IS NULL OR (installed_on IS date(installed_on) AND installed_on >= received_on)),
            created_at    INTEGER NOT NULL,
            CHECK ((coalesce(outcome, '') = 'installed') = (installed_on IS NOT NULL))
        ) STRICT;
        CREATE INDEX referrals_received ON referrals(received_on);

        CREATE TABLE referral_groups (
            referral_id     TEXT NOT NULL REFERENCES referrals(id),
            referral_group  TEXT NOT NULL CHECK (referral_group IN ('hospital','residential','ltc','dementia','learning-disability')),
            PRIMARY KEY (referral_id, referral_group)
        ) STRICT, WITHOUT ROWID;
        """#
}
