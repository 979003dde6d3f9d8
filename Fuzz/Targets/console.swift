// libFuzzer target: console commands (operator → daemon). A command that decodes must survive its
// own encoding unchanged: the CLI and the daemon speak through exactly this pair.
import VigilCore
import VigilWire

let wire = WireEncoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = Array(UnsafeBufferPointer(start: data, count: size))
    guard case .success(let command) = ConsoleCommand.decode(payload) else { return 0 }
    guard case .success(let again) = ConsoleCommand.decode(wire.encode(command)) else {
        preconditionFailure("a decoded command does not decode after encoding")
    }
    precondition(again == command, "a command changed through encode and decode")
    return 0
}
