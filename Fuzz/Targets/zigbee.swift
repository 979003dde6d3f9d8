// libFuzzer target: the Zigbee2MQTT adapter. The first byte picks the device's role (its kind, and
// bit 7 a property-exit door); the rest is the bridge payload, decoded from no previous state and then
// again from the state it produced, as the daemon does with a device's next message.
import VigilCore
import VigilWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let kinds = DeviceKind.allCases
    let role = ZigbeeRole(kinds[Int(data[0] & 0x7f) % kinds.count], propertyExit: data[0] & 0x80 != 0)
    let payload = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let adapter = Zigbee2MQTTAdapter()
    guard case .success(let first) = adapter.decode(payload, role: role, previous: nil) else { return 0 }
    guard case .success(let second) = adapter.decode(payload, role: role, previous: first.state) else {
        preconditionFailure("a payload accepted once was rejected the second time")
    }
    // The same reading again is no transition: nothing new to raise.
    precondition(second.state == first.state, "the same payload changed the state twice")
    return 0
}
