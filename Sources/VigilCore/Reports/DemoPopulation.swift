/// The people of the synthetic service and their spells of service, 2015-04-01 to 2020-03-31,
/// generated so that the number of current users follows a planned path: every day exactly as many
/// people start as are needed to reach that day's figure after the day's ends. The path meets the
/// service's targets on 31 March of 2017–2020 (8,615 … 13,115); 2015-04-01 and 2016-03-31 are chosen
/// to lead into them. Like the real service it stalls in 2017/18: 8,500 current at the end of
/// November 2017, well under the trajectory, before catching up by March — so the demo's reports
/// show red and amber quarters as well as green years.
public struct DemoPopulation: Sendable {
    public struct Person: Sendable {
        public var index: Int
        public var area: Int
        public var groups: [ReferralGroup]
        public var birth: Day
        public var living: LivingArrangement
        public var funding: FundingRoute
        public var careHome: Int?
        public var periods: [Period]
    }

    public struct Period: Sendable {
        public var start: Day
        /// Last day of service; nil while still supported at the end of the history.
        public var end: Day?
        public var reason: EndReason?
    }

    public static let window = DayRange(first: Day(year: 2015, month: 4, day: 1)!, last: Day(year: 2020, month: 3, day: 31)!)
    public static let careHomes = ["Beech House", "Elmfield Court", "Holly Lodge", "Larch Grange", "Oakwood", "Willow Bank"]
    /// Homes where video support to the call centre goes live, and when.
    public static let videoSupport: [(home: Int, from: Day)] = [
        (1, Day(year: 2018, month: 10, day: 1)!), (4, Day(year: 2019, month: 4, day: 1)!), (5, Day(year: 2019, month: 7, day: 1)!),
    ]
    /// Homes where telehealth kits go live for the residents, and when.
    public static let telehealth: [(home: Int, from: Day)] = [
        (0, Day(year: 2019, month: 1, day: 14)!), (4, Day(year: 2019, month: 10, day: 1)!),
    ]

    static let anchors: [(day: Day, users: Int)] = [
        (window.first, 7_000),
        (Day(year: 2016, month: 3, day: 31)!, 7_600),
        (Day(year: 2017, month: 3, day: 31)!, 8_615),
        (Day(year: 2017, month: 11, day: 30)!, 8_500),
        (Day(year: 2018, month: 3, day: 31)!, 10_115),
        (Day(year: 2019, month: 3, day: 31)!, 11_615),
        (Day(year: 2020, month: 3, day: 31)!, 13_115),
    ]

    /// The planned number of current users on a day: straight lines between the anchors (not the
    /// trajectory target, which runs straight from one 31 March to the next).
    public static func target(on day: Day) -> Int {
        for (a, b) in zip(anchors, anchors.dropFirst()) where day <= b.day {
            let t = Double(day.daysSinceEpoch - a.day.daysSinceEpoch) / Double(b.day.daysSinceEpoch - a.day.daysSinceEpoch)
            return Int((Double(a.users) + t * Double(b.users - a.users)).rounded())
        }
        return anchors.last!.users
    }

    public private(set) var people: [Person] = []

    /// `scale` multiplies the service's size (people at every anchor), for a history several times
    /// larger than the real one.
    public init(rng: inout SplitMix64, scale: Int = 1) {
        let first = Self.window.first.daysSinceEpoch, last = Self.window.last.daysSinceEpoch
        // endsOn[d - first]: current people whose last day of service is day d.
        var endsOn = [Int](repeating: 0, count: last - first + 2)
        var current = 0
        // Former users who may come back: (person index, day they left).
        var returners: [(Int, Int)] = []

        func plan(_ p: Int, start: Int, shortStay: Bool) {
            // A fifth of "prevent admission / timely discharge" referrals are short reablement stays.
            let days = shortStay ? rng.int(14...120) : Int(rng.exponential(mean: 5.5 * 365.25)) + 1
            let end = start + days - 1
            if end > last {
                people[p].periods.append(Period(start: Day(daysSinceEpoch: start), end: nil, reason: nil))
            } else {
                let reason: EndReason = shortStay ? (rng.chance(0.8) ? .noLongerNeeded : .residentialCare)
                    : [EndReason.died, .residentialCare, .noLongerNeeded, .movedAway, .declined, .other][rng.weighted([45, 25, 12, 10, 5, 3])]
                people[p].periods.append(Period(start: Day(daysSinceEpoch: start), end: Day(daysSinceEpoch: end), reason: reason))
                if end >= first { endsOn[end - first] += 1 }
            }
        }

        // The service already running on 1 April 2015: starts spread over the six years before.
        for _ in 0..<(Self.anchors[0].users * scale) {
            let p = newPerson(&rng, startingOn: first)
            let start = first - rng.int(1...(6 * 365))
            // Still current on 1 April 2015; how long they stay from now on is memoryless.
            let end = first + Int(rng.exponential(mean: 5.5 * 365.25))
            var period = Period(start: Day(daysSinceEpoch: start), end: nil, reason: nil)
            if end <= last {
                period.end = Day(daysSinceEpoch: end)
                period.reason = [EndReason.died, .residentialCare, .noLongerNeeded, .movedAway, .declined, .other][rng.weighted([45, 25, 12, 10, 5, 3])]
                endsOn[end - first] += 1
            }
            people[p].periods.append(period)
            current += 1
        }

        for d in first...last {
            if d > first { current -= endsOn[d - 1 - first] }
            let needed = max(0, Self.target(on: Day(daysSinceEpoch: d)) * scale - current)
            for _ in 0..<needed {
                let p: Int
                if !returners.isEmpty, rng.chance(0.03), let i = returners.indices.first(where: { d - returners[$0].1 > 60 }) {
                    p = returners.remove(at: i).0
                } else {
                    p = newPerson(&rng, startingOn: d)
                }
                let shortStay = people[p].groups.contains(.hospital) && rng.chance(0.2)
                plan(p, start: d, shortStay: shortStay)
                current += 1
                if let end = people[p].periods.last?.end, let reason = people[p].periods.last?.reason,
                   [.movedAway, .noLongerNeeded, .declined].contains(reason) {
                    returners.append((p, end.daysSinceEpoch))
                }
            }
        }
    }

    private mutating func newPerson(_ rng: inout SplitMix64, startingOn day: Int) -> Int {
        let groupsAll = ReferralGroup.allCases
        var groups = [groupsAll[rng.weighted([15, 35, 30, 15, 5])]]
        if rng.chance(0.3) {
            let second = groupsAll[rng.weighted([15, 35, 30, 15, 5])]
            if second != groups[0] { groups.append(second) }
        }
        let age = groups.contains(.learningDisability) ? rng.int(19...64) : (rng.chance(0.15) ? rng.int(40...64) : 65 + Int(rng.exponential(mean: 14)) % 38)
        let birth = Day(daysSinceEpoch: day - age * 365 - rng.int(0...364))
        let careHome = rng.chance(0.03) ? rng.int(0...(Self.careHomes.count - 1)) : nil
        people.append(Person(
            index: people.count, area: 1 + rng.weighted([14, 12, 13, 11, 15, 10, 12, 13]), groups: groups, birth: birth,
            living: careHome == nil && rng.chance(0.38) ? .withCarer : .alone, funding: rng.chance(0.7) ? .council : .selfPurchase,
            careHome: careHome, periods: []))
        return people.count - 1
    }

    /// People current on a day: the count the trajectory is judged on.
    public func current(on day: Day) -> Int {
        people.reduce(0) { n, p in n + p.periods.filter { $0.start <= day && ($0.end.map { day <= $0 } ?? true) }.count }
    }
}
