import VigilCore

/// The mobile-response figures of the response report: visits dispatched in the period, with the
/// person's area and the local month of dispatch; call attempts; and how many people and services
/// touched each alarm raised in the period.
struct MobileResponseQueries {
    let db: Database

    func figures(from: EpochMillis, until: EpochMillis, calendar: LocalDays) throws -> MobileResponse {
        let bounds: [SQLValue] = [.int(from), .int(until)]
        let visits = try db.prepare("""
            SELECT v.dispatched_at, v.on_site_at - v.dispatched_at AS arrive, v.cancelled_at IS NOT NULL AS cancelled, u.area,
                   v.access_gained_at - v.on_site_at AS access
            FROM visits v LEFT JOIN alarms a ON a.id = v.alarm_id LEFT JOIN users u ON u.id = a.user_id
            WHERE v.dispatched_at >= ?1 AND v.dispatched_at < ?2
            """).all(bounds) { s in
            let day = calendar.day(of: s.int64(0))
            return MobileResponse.Visit(month: day.monthLabel, area: s.optionalInt(3), arriveMillis: s.isNull(1) ? nil : s.int64(1),
                                        accessMillis: s.isNull(4) ? nil : s.int64(4), cancelled: s.int(2) != 0)
        }
        let alarms = Int(try db.scalar("SELECT count(*) FROM alarms WHERE raised_at >= ?1 AND raised_at < ?2", bounds))
        let calls = Int(try db.scalar("""
            SELECT count(*) FROM call_attempts c JOIN alarms a ON a.id = c.alarm_id WHERE a.raised_at >= ?1 AND a.raised_at < ?2
            """, bounds))
        // Operators who held the alarm, responders sent, people rung: each counted once per alarm.
        let touches = Int(try db.scalar("""
            SELECT count(*) FROM (
                SELECT a.id, 'operator:' || t.actor AS who FROM audit t JOIN alarms a ON a.id = t.alarm_id
                    WHERE a.raised_at >= ?1 AND a.raised_at < ?2 AND t.actor NOT IN ('vigil', 'admin') AND t.action IN ('claimed', 'reassigned', 'handed-over', 'resolved')
                UNION SELECT a.id, 'responder:' || v.responder FROM visits v JOIN alarms a ON a.id = v.alarm_id WHERE a.raised_at >= ?1 AND a.raised_at < ?2
                UNION SELECT a.id, 'callee:' || c.callee FROM call_attempts c JOIN alarms a ON a.id = c.alarm_id WHERE a.raised_at >= ?1 AND a.raised_at < ?2
            )
            """, bounds))
        return MobileResponse(visits: visits, alarms: alarms, callAttempts: calls, touches: touches)
    }
}
