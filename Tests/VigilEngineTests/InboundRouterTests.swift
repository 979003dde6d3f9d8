import Testing
@testable import VigilEngine
import VigilWire

@Suite("Inbound router: each topic parsed once into what it is")
struct InboundRouterTests {
    let router = InboundRouter(topics: Topics(prefix: "telecare"), zigbee: ZigbeeTopics(base: "zigbee2mqtt"))

    @Test(arguments: [
        ("telecare/v1/devices/pend-1/events", Inbound.deviceEvent(device: "pend-1")),
        ("telecare/v1/devices/th-1/observations", .observation(device: "th-1")),
        ("telecare/v1/console/op1/commands", .command(operator: "op1")),
        ("telecare/v1/queue/alarms/A-2026-000007", .queueEntry(code: "A-2026-000007")),
        ("zigbee2mqtt/kitchen smoke", .zigbee(friendlyName: "kitchen smoke")),
        ("zigbee2mqtt/upstairs/landing", .zigbee(friendlyName: "upstairs/landing")),
        ("zigbee2mqtt/bridge/state", .ignored(reason: "zigbee2mqtt-bridge")),
        ("zigbee2mqtt/kitchen smoke/availability", .ignored(reason: "zigbee2mqtt-bridge")),
        ("zigbee2mqtt/kitchen smoke/set", .ignored(reason: "zigbee2mqtt-bridge")),
        // Our own acks, an unknown channel, a device id outside the grammar, a console topic with a bad id.
        ("telecare/v1/devices/pend-1/acks", .misaddressed),
        ("telecare/v1/devices/pend-1/telemetry", .misaddressed),
        ("telecare/v1/devices/pend 1/events", .misaddressed),
        ("telecare/v1/console/op 1/commands", .misaddressed),
    ])
    func routes(topic: String, expected: Inbound) {
        #expect(router.route(topic) == expected)
    }
}
