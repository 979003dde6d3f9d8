import VigilCore

extension ReportDimension? {
    /// The SQL for the breakdown value of a row joined as `u` (users) and `g` (user_groups), and
    /// the join it needs. `asOf` is the bound parameter holding the day ages are taken on.
    func sql(asOf: String) -> (key: String, join: String) {
        switch self {
        case nil: ("NULL", "")
        case .area?: ("coalesce(CAST(u.area AS TEXT), 'unknown')", "")
        // Someone in two groups counts once in each: group rows add up to more than the total.
        case .group?: ("coalesce(g.referral_group, 'none')", "LEFT JOIN user_groups g ON g.user_id = u.id")
        case .funding?: ("coalesce(u.funding, 'unknown')", "")
        case .careHome?: ("coalesce(u.care_home, 'own home')", "")
        case .age?:
            ("""
            CASE WHEN u.date_of_birth IS NULL THEN 'unknown' ELSE
              (SELECT CASE WHEN a < 65 THEN 'under 65' WHEN a < 75 THEN '65-74' WHEN a < 85 THEN '75-84' ELSE '85+' END
               FROM (SELECT CAST(substr(\(asOf), 1, 4) AS INTEGER) - CAST(substr(u.date_of_birth, 1, 4) AS INTEGER)
                            - (substr(\(asOf), 6) < substr(u.date_of_birth, 6)) AS a)) END
            """, "")
        }
    }
}
