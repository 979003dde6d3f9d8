import CMosquitto

#if canImport(Glibc)
import Glibc
#endif

/// A libmosquitto failure: its result code, what we were doing, and the library's own words.
public struct MosquittoError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var operation: String
    public var message: String

    init(_ code: Int32, _ operation: String) {
        self.code = code
        self.operation = operation
        if code == Int32(MOSQ_ERR_ERRNO.rawValue) {
            message = String(cString: strerror(errno))
        } else {
            message = String(cString: mosquitto_strerror(code))
        }
    }

    public var description: String { "\(operation): \(message)" }
}
