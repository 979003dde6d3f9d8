import VigilCore

/// Turns Zigbee2MQTT device-state payloads (`{base}/{friendlyName}`) into internal events.
///
/// Zigbee2MQTT publishes a device's whole cached state every time any attribute changes (a battery
/// report, link quality), so a key being true says nothing new; only a change does. The adapter is a
/// pure function of (payload, the state it returned last time for this device, the device's role):
///
/// - an alarm key (`smoke`, `water_leak`, `carbon_monoxide`, `gas`, `sos`, `tamper`, `battery_low`; also
///   `water_leak_alarm_1`/`_2`, `gas_alarm_1`/`_2`, and `battery_state: "low"` from devices that say it so)
///   raises its event when it becomes true after false or unknown. A repeated true raises nothing: the
///   condition is already reported, and echoing it on every battery report would flood the open alarm.
///   A second activation (true → false → true) is a new transition, so it is raised again (Camden's
///   fire procedure: always call on a second activation).
/// - the same key becoming false after true is a `clear` whose `detail.state` names the condition
///   (e.g. "smoke"), so the engine closes only that alarm. false after unknown is nothing.
/// - `action: "emergency"` (or a keypad's `"panic"`, `"sos"`) is a button press. Zigbee2MQTT never caches `action`, so it appears only in
///   the message of the press and every occurrence is raised.
/// - a fall (`fall_down_status: "fall"`, `fall_status: "fall_alarm"`, OWON `status: "falling"`) is raised on the transition but
///   never cleared: a radar losing sight of a fall is no evidence that the person got up.
/// - `contact` on a door reports open/closed on every change (exit flag from the role), `occupancy`
///   on a bed or chair reports vacated/occupied on every change; triage decides what raises.
/// - `temperature` on a temperature sensor raises when it crosses into the cold or hot band of the
///   triage policy and clears when it comes back past the threshold by `hysteresis`.
///
/// Other keys are ignored, except one that looks like an alarm (an alarm word in its name, `true` or an
/// active word such as "alarm" as its value: `fire_alarm: true`, `smoke_state: "alarm"`): it is
/// returned in `unrecognised` when it becomes active, so that nothing a device says about danger
/// leaves no trace. A known key with the wrong JSON type rejects the payload, since it means
/// the device is not what it was registered as.
public struct Zigbee2MQTTAdapter: Sendable, Equatable {
    public var coldCelsius: Double
    public var hotCelsius: Double
    /// How far back past a threshold a room must come before its alarm clears, so a sensor hovering
    /// at the threshold does not raise and clear on every report. Half a degree is above the ±0.3 °C
    /// accuracy of common Zigbee room sensors.
    public var hysteresis: Double

    public init(coldCelsius: Double = TriagePolicy.default.coldCelsius, hotCelsius: Double = TriagePolicy.default.hotCelsius, hysteresis: Double = 0.5) {
        self.coldCelsius = coldCelsius
        self.hotCelsius = hotCelsius
        self.hysteresis = hysteresis
    }

    /// The thresholds the engine's triage uses, so the adapter raises exactly what triage would.
    public init(policy: TriagePolicy) {
        self.init(coldCelsius: policy.coldCelsius, hotCelsius: policy.hotCelsius)
    }

    /// Zigbee2MQTT state messages are a few hundred bytes; the wire v1 limit is ample.
    public static let maxPayloadBytes = EventDecoder.maxPayloadBytes

    public func decode(_ payload: [UInt8], role: ZigbeeRole, previous: ZigbeeState?) -> Result<ZigbeeUpdate, Rejection> {
        guard payload.count <= Self.maxPayloadBytes else { return .failure(Rejection(.payloadTooLarge(bytes: payload.count))) }
        guard String(validating: payload, as: UTF8.self) != nil else { return .failure(Rejection(.invalidUTF8)) }
        let json: JSONValue
        switch JSONValue.readStrict(payload) {
        case .failure(let r): return .failure(r)
        case .success(let v): json = v
        }
        guard case .object(let fields) = json else { return .failure(Rejection(.notAnObject(found: json.typeName))) }
        do throws(ZigbeeReading.Invalid) {
            let reading = try ZigbeeReading(fields, role: role)
            return .success(update(reading, role: role, previous: previous ?? ZigbeeState()))
        } catch {
            return .failure(Rejection(error.reason))
        }
    }

    private func update(_ r: ZigbeeReading, role: ZigbeeRole, previous old: ZigbeeState) -> ZigbeeUpdate {
        var new = old
        r.apply(to: &new)
        var alarms: [ZigbeeEvent] = []
        var changes: [ZigbeeEvent] = []
        var clears: [ZigbeeEvent] = []

        func edge(_ key: KeyPath<ZigbeeState, Bool?>, _ type: EventType, clears clearable: Bool = true) {
            let was = old[keyPath: key], now = new[keyPath: key]
            if now == true, was != true { alarms.append(ZigbeeEvent(type: type)) }
            if clearable, now == false, was == true { clears.append(ZigbeeEvent(type: .clear, detail: EventDetail(state: type.rawValue))) }
        }

        if let action = r.action, ZigbeeReading.emergencyActions.contains(action) { alarms.append(ZigbeeEvent(type: .button)) }
        edge(\.sos, .button, clears: false)
        if new.fallDownStatus == "fall", old.fallDownStatus != "fall" { alarms.append(ZigbeeEvent(type: .fall)) }
        if role.kind == .fallDetector, new.status == "falling", old.status != "falling" { alarms.append(ZigbeeEvent(type: .fall)) }
        // A heat alarm reports through the smoke key on Zigbee; its role says which it is.
        edge(\.smoke, role.kind == .heat ? .heat : .smoke)
        edge(\.carbonMonoxide, .co)
        edge(\.gas, .gas)
        edge(\.waterLeak, .flood)

        switch role.kind {
        case .door:
            if let contact = new.contact, contact != old.contact {
                changes.append(ZigbeeEvent(type: .door, detail: EventDetail(state: contact ? "closed" : "open", exit: role.propertyExit)))
            }
        case .bed, .chair:
            if let occupied = new.occupancy, occupied != old.occupancy {
                changes.append(ZigbeeEvent(type: role.kind == .bed ? .bed : .chair, detail: EventDetail(state: occupied ? "occupied" : "vacated")))
            }
        case .temperature:
            if let c = new.temperature {
                let band = band(of: c, was: old.temperatureBand)
                new.temperatureBand = band
                let was = old.temperatureBand ?? .normal
                if band != was {
                    if band == .normal {
                        clears.append(ZigbeeEvent(type: .clear, detail: EventDetail(state: EventType.temperature.rawValue, celsius: c)))
                    } else {
                        changes.append(ZigbeeEvent(type: .temperature, detail: EventDetail(celsius: c)))
                    }
                }
            }
        default:
            break
        }

        edge(\.tamper, .tamper)
        edge(\.batteryLow, .lowBattery)

        let battery = new.battery.map { Int($0.rounded()) }
        let events = (alarms + changes + clears).map { e in
            var e = e
            e.battery = battery
            return e
        }
        let unrecognised = (new.unrecognised ?? [:]).filter { key, value in
            ZigbeeReading.isActive(value) && !(old.unrecognised?[key].map(ZigbeeReading.isActive) ?? false)
        }.map { "\($0.key): \($0.value)" }.sorted()
        return ZigbeeUpdate(events: events, state: new, movement: role.kind == .pir && r.occupancy == true, deviceTime: r.lastSeen, unrecognised: unrecognised)
    }

    /// The band of a reading: into cold at or below the threshold (as triage counts it), out of it only
    /// above threshold + hysteresis; the same mirrored for hot.
    func band(of c: Double, was: ZigbeeState.TemperatureBand?) -> ZigbeeState.TemperatureBand {
        if c <= coldCelsius { return .cold }
        if c >= hotCelsius { return .hot }
        switch was {
        case .cold? where c <= coldCelsius + hysteresis: return .cold
        case .hot? where c >= hotCelsius - hysteresis: return .hot
        default: return .normal
        }
    }
}
