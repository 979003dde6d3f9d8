import VigilCore

/// One registered device as the simulator drives it: what it reports (its kind's models), its
/// heartbeat, and its battery, merged into one stream in time order.
public struct SimulatedDevice: Sendable {
    public let id: String
    public let kind: DeviceKind
    var models: [any DeviceModel]
    var heartbeat: HeartbeatModel?
    var battery: BatteryDrain?

    public init(id: String, kind: DeviceKind, models: [any DeviceModel], heartbeat: HeartbeatModel? = nil, battery: BatteryDrain? = nil) {
        self.id = id
        self.kind = kind
        self.models = models
        self.heartbeat = heartbeat
        self.battery = battery
    }

    /// The default behaviour of a device of `kind`. `dementia` marks a person whose front door is
    /// watched for exits at night; `heartbeatSeconds` is the registered interval (a default per kind
    /// when there is none: 1 h for a home unit, 25 h for battery sensors, as Zigbee2MQTT's availability
    /// check uses). The phase of the heartbeat and the battery's starting level come from `rng`.
    public static func standard(id: String, kind: DeviceKind, dementia: Bool = false, heartbeatSeconds: Int? = nil, rng: inout SplitMix64) -> SimulatedDevice {
        let models: [any DeviceModel]
        switch kind {
        case .pendant, .pullcord: models = [PendantModel(pressesPerDay: kind == .pendant ? 1.0 / 30 : 1.0 / 90)]
        case .fallDetector: models = [FallDetectorModel()]
        case .smoke, .heat, .co, .gas, .flood: models = [HazardModel(kind: kind)]
        case .bed: models = [OccupancyModel.bed()]
        case .chair: models = [OccupancyModel.chair()]
        case .door: models = [dementia ? PropertyExitModel() : PropertyExitModel(nightExitsPerNight: 1.0 / 365, dayExitsPerDay: 1.0 / 365)]
        case .pir: models = [SimpleAlarmModel(type: .inactivity, perDay: 1.0 / 60)]
        case .epilepsy: models = [SimpleAlarmModel(type: .epilepsy, perDay: 1.0 / 45)]
        case .enuresis: models = [SimpleAlarmModel(type: .enuresis, perDay: 1.0 / 10)]
        case .medication: models = [MedicationModel()]
        case .telehealth: models = [TelehealthModel(readingMinute: Int.random(in: 7 * 60...11 * 60, using: &rng))]
        case .temperature: models = [RoomTemperatureModel()]
        case .hub: models = [HomeUnitModel()]
        }
        let interval = EpochMillis(heartbeatSeconds ?? (kind == .hub ? 3_600 : 25 * 3_600)) * VirtualTime.second
        let heartbeat = HeartbeatModel(interval: interval, phase: EpochMillis.random(in: 0..<interval, using: &rng))
        let battery = kind == .hub ? nil : BatteryDrain(startLevel: Double.random(in: 40...100, using: &rng), perDay: Double.random(in: 0.05...0.2, using: &rng))
        return SimulatedDevice(id: id, kind: kind, models: models, heartbeat: heartbeat, battery: battery)
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var all: [ScheduledEvent] = []
        for i in models.indices { all += models[i].events(from: from, to: to, rng: &rng) }
        if heartbeat != nil { all += heartbeat!.events(from: from, to: to, rng: &rng) }
        all.sort { $0.at < $1.at }
        guard battery != nil else { return all }
        var out: [ScheduledEvent] = []
        out.reserveCapacity(all.count)
        for var e in all {
            if let low = battery!.advance(to: e.at, rng: &rng) { out.append(low) }
            e.battery = battery!.percent
            out.append(e)
        }
        return out
    }
}
