import Testing
import VigilCore
import VigilSimulation
import VigilWire

@Suite("Device models in Zigbee2MQTT and FHIR")
struct FormatTests {
    /// A year of each Zigbee-capable kind, through the encoder and back through Vigil's adapter: every
    /// event that can be said in Zigbee2MQTT comes back as the same event type.
    @Test(arguments: [DeviceKind.smoke, .co, .gas, .flood, .door, .bed, .chair, .pendant, .fallDetector])
    func zigbeePayloadsDecodeToTheSameEvents(kind: DeviceKind) {
        var rng = SplitMix64(seed: 11)
        var device = SimulatedDevice.standard(id: "z", kind: kind, dementia: true, rng: &rng)
        var emitter = ZigbeeEmitter(kind: kind)
        let adapter = Zigbee2MQTTAdapter()
        let role = ZigbeeRole(kind, propertyExit: kind == .door)
        var previous: ZigbeeState?
        let wire = WireEncoder()
        var said = 0
        var t: EpochMillis = 1_790_000_000_000
        for _ in 0..<3_650 {
            for e in device.events(from: t, to: t + VirtualTime.day, rng: &rng) {
                guard let messages = emitter.messages(for: e) else { continue }
                var found: [EventType] = []
                for message in messages {
                    switch adapter.decode(wire.encode(message), role: role, previous: previous) {
                    case .success(let update):
                        previous = update.state
                        found += update.events.map(\.type)
                    case .failure(let r):
                        Issue.record("\(kind.rawValue) \(e.type.rawValue): \(r)")
                    }
                }
                guard e.type != .heartbeat else { continue }
                said += 1
                #expect(found.contains(e.type), "\(kind.rawValue): \(e.type.rawValue) came back as \(found.map(\.rawValue))")
            }
            t += VirtualTime.day
        }
        #expect(said > 0)
    }

    @Test func telehealthReadingsDecodeAsFHIRObservationsWithTheSameValues() {
        var m = TelehealthModel(deteriorationsPerDay: 1.0 / 20)
        let events = run(&m, days: 200)
        for e in events {
            let observations = e.fhirObservations(idPrefix: "obs-\(e.at)") ?? []
            // SpO2, pulse, blood pressure (one Observation with both components), respiration, temperature.
            #expect(observations.count == 5)
            var merged = VitalSigns()
            for o in observations {
                switch FHIRObservationDecoder.decode(WireEncoder().encode(o), deviceID: "th-1") {
                case .success(let d):
                    let v = d.detail.vitals
                    merged.spo2 = v.spo2 ?? merged.spo2
                    merged.pulse = v.pulse ?? merged.pulse
                    merged.systolic = v.systolic ?? merged.systolic
                    merged.respiration = v.respiration ?? merged.respiration
                    merged.temperature = v.temperature ?? merged.temperature
                case .failure(let r):
                    Issue.record("\(o.id): \(r)")
                }
            }
            #expect(merged == e.vitals)
        }
    }
}
