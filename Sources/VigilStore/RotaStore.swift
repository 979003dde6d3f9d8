import Foundation
import VigilCore
import VigilWire

/// A member of the mobile response team: the person an operator sends to the door.
public struct MobileResponder: Sendable, Equatable {
    public var id: String
    public var name: String
    public var phone: String

    public init(id: String, name: String, phone: String) {
        self.id = id
        self.name = name
        self.phone = phone
    }
}

/// Who is on call for an area, from `startsAt` until the hand-off at `endsAt`.
public struct RotaShift: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Part of the area's rotation: rota shifts of one area never overlap.
        case rota
        /// Sickness, a swap: covers part of the rotation and wins over it.
        case override
    }

    public var id: Int64
    public var area: Int
    public var responder: String
    public var startsAt: EpochMillis
    public var endsAt: EpochMillis
    public var kind: Kind
    public var reason: String?

    public init(id: Int64 = 0, area: Int, responder: String, startsAt: EpochMillis, endsAt: EpochMillis, kind: Kind = .rota, reason: String? = nil) {
        self.id = id
        self.area = area
        self.responder = responder
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.kind = kind
        self.reason = reason
    }

    func overlaps(_ other: RotaShift) -> Bool { startsAt < other.endsAt && other.startsAt < endsAt }
    func covers(_ at: EpochMillis) -> Bool { startsAt <= at && at < endsAt }
    func sameShift(_ other: RotaShift) -> Bool {
        area == other.area && responder == other.responder && startsAt == other.startsAt && endsAt == other.endsAt && kind == other.kind
    }
}

/// A stretch of time in which nobody is on call for an area.
public struct RotaGap: Sendable, Equatable {
    public var area: Int
    public var from: EpochMillis
    public var until: EpochMillis
}

/// A refusal of a rota change, in a sentence the rota manager can act on.
public struct RotaError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A rota file refused: nothing was stored. Every bad row is listed.
public struct RotaImportRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]
    public var description: String {
        "\(problems.count) bad row\(problems.count == 1 ? "" : "s"); nothing was imported:\n" + problems.map(\.description).joined(separator: "\n")
    }
}

/// Local times as a rota is written: `2026-12-07 08:00` (or with a `T`, or `07/12/2026 08:00`) in the
/// centre's zone, or an RFC 3339 time with its offset.
public enum RotaTime {
    public static func parse(_ text: String, zone: TimeZone) -> Result<EpochMillis, RotaError> {
        let t = text.trimmingSpaces
        if let millis = RFC3339.millis(t) { return .success(millis) }
        let parts = t.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = RowReader.parseDay(String(parts[0])), let minute = MinuteOfDay.parse(String(parts[1])) else {
            return .failure(RotaError("'\(text)' is not a time: write 2026-12-07 08:00 (the centre's local time) or 07/12/2026 08:00."))
        }
        // The wall-clock time read as if it were UTC, then the offset that makes it so in `zone`.
        let wall = day.startMillis + EpochMillis(minute) * 60_000
        func offset(_ at: EpochMillis) -> EpochMillis { EpochMillis(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(at) / 1000))) * 1000 }
        let first = wall - offset(wall)
        for candidate in [first, wall - offset(first)] where candidate + offset(candidate) == wall {
            return .success(candidate)
        }
        // The hour the clocks skip in spring does not exist.
        return .failure(RotaError("'\(text)' does not exist in \(zone.identifier): the clocks go forward then. Write the hand-off an hour later."))
    }

    /// `2026-12-07 08:00` in `zone`.
    public static func format(_ millis: EpochMillis, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(millis) / 1000))
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}

/// The mobile response team and its rota: who is on call for an area at a time, and where cover is
/// missing. Every change is audited.
public struct RotaStore {
    let db: Database

    public init(_ db: Database) throws(StoreError) {
        self.db = db
    }

    // MARK: Responders

    public func addResponder(_ r: MobileResponder, now: EpochMillis) throws {
        guard !r.name.allSatisfy(\.isWhitespace) else { throw RotaError("A responder needs a name (--name).") }
        if let problem = UKPhone.problem(r.phone) { throw RotaError("--phone '\(r.phone)' \(problem)") }
        try db.transaction {
            if try responder(r.id) != nil { throw RotaError("A responder with id \(r.id) is already registered.") }
            try db.prepare("INSERT INTO mobile_responders(id, name, phone, created_at) VALUES (?, ?, ?, ?)").run([.text(r.id), .text(r.name), .text(r.phone), .int(now)])
            try audit("responder-added", r.id, now: now)
        }
    }

    public func responders() throws -> [MobileResponder] {
        try db.prepare("SELECT id, name, phone FROM mobile_responders ORDER BY id").rows(table: "mobile_responders", Self.responder)
    }

    public func responder(_ id: String) throws -> MobileResponder? {
        try db.prepare("SELECT id, name, phone FROM mobile_responders WHERE id = ?").rows([.text(id)], table: "mobile_responders", Self.responder).first
    }

    // MARK: Who is on call

    /// Who is on call for `area` at `at`: an override if one covers the moment, else the rota.
    public func onCall(area: Int, at: EpochMillis) throws -> [MobileResponder] {
        try onCallShifts(area: area, at: at).compactMap { try responder($0.responder) }
    }

    /// The shifts that decide who is on call at `at`: the overrides covering it, if any, else the rota's.
    public func onCallShifts(area: Int, at: EpochMillis) throws -> [RotaShift] {
        let covering = try shifts(area: area, from: at, until: at + 1)
        return covering.contains { $0.kind == .override } ? covering.filter { $0.kind == .override } : covering
    }

    /// Shifts that overlap [from, until), by area and start.
    public func shifts(area: Int? = nil, from: EpochMillis, until: EpochMillis) throws -> [RotaShift] {
        try db.prepare("""
            SELECT id, area, responder_id, starts_at, ends_at, kind, reason FROM rota_shifts
            WHERE (?1 IS NULL OR area = ?1) AND starts_at < ?3 AND ends_at > ?2 ORDER BY area, starts_at, kind
            """).rows([area.map { .int(Int64($0)) } ?? .null, .int(from), .int(until)], table: "rota_shifts", Self.shift)
    }

    /// Stretches of [from, until) in which nobody at all is on call for `area`.
    public func gaps(area: Int, from: EpochMillis, until: EpochMillis) throws -> [RotaGap] {
        var gaps: [RotaGap] = []
        var covered = from
        for s in try shifts(area: area, from: from, until: until).sorted(by: { $0.startsAt < $1.startsAt }) {
            if s.startsAt > covered { gaps.append(RotaGap(area: area, from: covered, until: s.startsAt)) }
            covered = max(covered, s.endsAt)
        }
        if covered < until { gaps.append(RotaGap(area: area, from: covered, until: until)) }
        return gaps
    }

    /// The areas where people with an open service period live: the ones a gap in cover puts at
    /// risk. None while no responder is registered: the centre does not keep its rota in Vigil.
    public func areasWithPeople() throws -> [Int] {
        guard try db.scalar("SELECT count(*) FROM mobile_responders") > 0 else { return [] }
        return try db.prepare("""
            SELECT DISTINCT u.area FROM users u JOIN service_periods p ON p.user_id = u.id
            WHERE u.area IS NOT NULL AND p.end_date IS NULL ORDER BY u.area
            """).all { $0.int(0) }
    }

    // MARK: Changes

    /// Adds one shift, refusing what would leave the rota ambiguous: a rota shift overlapping
    /// another of its area, an override overlapping another override.
    public func add(_ s: RotaShift, now: EpochMillis, zone: TimeZone) throws -> Int64 {
        try db.transaction {
            if let problem = try problem(s, zone: zone) { throw RotaError(problem) }
            if let clash = try clash(s, zone: zone) { throw RotaError(clash) }
            return try insert(s, now: now, zone: zone)
        }
    }

    public func remove(_ id: Int64, now: EpochMillis, zone: TimeZone) throws {
        try db.transaction {
            guard let s = try db.prepare("SELECT id, area, responder_id, starts_at, ends_at, kind, reason FROM rota_shifts WHERE id = ?")
                .rows([.int(id)], table: "rota_shifts", Self.shift).first else {
                throw RotaError("There is no rota shift \(id): `vigil rota list` shows their ids.")
            }
            try db.prepare("DELETE FROM rota_shifts WHERE id = ?").run([.int(id)])
            try audit("rota-removed", "\(id): \(describe(s, zone: zone))", now: now)
        }
    }

    /// Imports a rota file all or nothing: every bad row is listed with its line number and nothing
    /// is stored. Columns: area, responder, starts, ends; optional kind (rota or override) and
    /// reason (an override needs one). Within the file an area's rota rows must follow on from each
    /// other, each starting at the previous one's hand-off: a gap or an overlap is refused. A row
    /// already stored exactly so is left as it is, so the same file imported twice changes nothing.
    public func importRota(header: [String], rows: [ImportRow], zone: TimeZone, now: EpochMillis) throws -> (added: Int, unchanged: Int) {
        let missing = ["area", "responder", "starts", "ends"].filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw ImportHeaderError(description: "the header must name area, responder, starts and ends (optional: kind, reason); \(missing.joined(separator: ", ")) missing. The header read: \(header.joined(separator: ", ")).")
        }
        var problems: [ImportProblem] = []
        var read: [(line: Int, shift: RotaShift)] = []
        for row in rows {
            do throws(RowReader.Problem) {
                if let p = row.problem { throw RowReader.Problem(message: p) }
                let r = RowReader(row: row)
                let area = try r.int("area", in: 1...8, required: true)!
                let responder = try r.required("responder")
                func time(_ column: String) throws(RowReader.Problem) -> EpochMillis {
                    switch RotaTime.parse(try r.required(column), zone: zone) {
                    case .success(let t): return t
                    case .failure(let e): throw RowReader.Problem(message: "\(column) \(e.description)")
                    }
                }
                let kind = try r.choice("kind", RotaShift.Kind.self, required: false) ?? .rota
                let shift = RotaShift(area: area, responder: responder, startsAt: try time("starts"), endsAt: try time("ends"), kind: kind, reason: r.optional("reason"))
                if let p = try? problem(shift, zone: zone) { throw RowReader.Problem(message: p) }
                read.append((row.line, shift))
            } catch {
                problems.append(ImportProblem(line: row.line, message: error.message))
            }
        }
        // Within the file: each area's rotation follows on without a gap or an overlap.
        for area in Set(read.map(\.shift.area)) {
            let rota = read.filter { $0.shift.area == area && $0.shift.kind == .rota }.sorted { $0.shift.startsAt < $1.shift.startsAt }
            for (previous, next) in zip(rota, rota.dropFirst()) {
                if next.shift.startsAt < previous.shift.endsAt {
                    problems.append(ImportProblem(line: next.line, message: "overlaps line \(previous.line) (\(describe(previous.shift, zone: zone))): an area has one rota responder at a time; use kind override for a second"))
                } else if next.shift.startsAt > previous.shift.endsAt {
                    problems.append(ImportProblem(line: next.line, message: "leaves area \(area) with nobody on call from \(RotaTime.format(previous.shift.endsAt, zone: zone)) (the end of line \(previous.line)) until \(RotaTime.format(next.shift.startsAt, zone: zone)): start it at the hand-off"))
                }
            }
            let overrides = read.filter { $0.shift.area == area && $0.shift.kind == .override }
            for (i, a) in overrides.enumerated() {
                if let b = overrides[..<i].first(where: { $0.shift.overlaps(a.shift) }) {
                    problems.append(ImportProblem(line: a.line, message: "overlaps the override on line \(b.line) (\(describe(b.shift, zone: zone)))"))
                }
            }
        }
        return try db.transaction {
            var added = 0, unchanged = 0
            for (line, shift) in read where !problems.contains(where: { $0.line == line }) {
                if try shifts(area: shift.area, from: shift.startsAt, until: shift.endsAt).contains(where: { $0.sameShift(shift) }) {
                    unchanged += 1
                    continue
                }
                if let clash = try clash(shift, zone: zone) {
                    problems.append(ImportProblem(line: line, message: clash))
                    continue
                }
                _ = try insert(shift, now: now, zone: zone)
                added += 1
            }
            if !problems.isEmpty {
                throw RotaImportRejected(problems: problems.sorted { $0.line < $1.line })
            }
            return (added, unchanged)
        }
    }

    // MARK: Inside

    /// What is wrong with the shift on its own, if anything.
    private func problem(_ s: RotaShift, zone: TimeZone) throws -> String? {
        guard (1...8).contains(s.area) else { return "area \(s.area) is not one of the service's areas 1 to 8" }
        guard s.endsAt > s.startsAt else {
            return "ends \(RotaTime.format(s.endsAt, zone: zone)) is not after starts \(RotaTime.format(s.startsAt, zone: zone))"
        }
        guard s.endsAt - s.startsAt <= 31 * 86_400_000 else { return "runs for more than 31 days; write a rotation as one row per shift" }
        guard try responder(s.responder) != nil else { return "\(s.responder) is not a registered responder (add them with `vigil responders add`)" }
        if s.kind == .override, s.reason?.allSatisfy(\.isWhitespace) ?? true { return "an override needs a reason (sickness, a swap)" }
        if let r = s.reason, r.count > 500 { return "the reason is longer than 500 characters" }
        return nil
    }

    /// A stored shift this one may not sit beside, described.
    private func clash(_ s: RotaShift, zone: TimeZone) throws -> String? {
        guard let other = try shifts(area: s.area, from: s.startsAt, until: s.endsAt).first(where: { $0.kind == s.kind }) else { return nil }
        let what = s.kind == .rota ? "rota shift" : "override"
        return "overlaps stored \(what) \(other.id) (\(describe(other, zone: zone))); remove it first with `vigil rota remove \(other.id)`"
    }

    private func insert(_ s: RotaShift, now: EpochMillis, zone: TimeZone) throws -> Int64 {
        try db.prepare("INSERT INTO rota_shifts(area, responder_id, starts_at, ends_at, kind, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)").run([
            .int(Int64(s.area)), .text(s.responder), .int(s.startsAt), .int(s.endsAt), .text(s.kind.rawValue), s.reason.map { .text($0) } ?? .null, .int(now),
        ])
        let id = try db.scalar("SELECT last_insert_rowid()")
        try audit("rota-added", "\(id): \(describe(s, zone: zone))", now: now)
        return id
    }

    private func audit(_ action: String, _ detail: String, now: EpochMillis) throws {
        try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', ?, ?)").run([.int(now), .text(action), .text(detail)])
    }

    func describe(_ s: RotaShift, zone: TimeZone) -> String {
        let kind = s.kind == .override ? " override (\(s.reason ?? ""))" : ""
        return "area \(s.area) \(s.responder) \(RotaTime.format(s.startsAt, zone: zone)) to \(RotaTime.format(s.endsAt, zone: zone))\(kind)"
    }

    private static func responder(_ row: Row) throws -> MobileResponder {
        MobileResponder(id: try row.text("id"), name: try row.text("name"), phone: try row.text("phone"))
    }

    private static func shift(_ row: Row) throws -> RotaShift {
        RotaShift(id: try row.int64("id"), area: try row.int("area"), responder: try row.text("responder_id"), startsAt: try row.int64("starts_at"),
                  endsAt: try row.int64("ends_at"), kind: try row.decode("kind"), reason: try row.optionalText("reason"))
    }
}
