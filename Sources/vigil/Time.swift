import Foundation
import VigilCore

/// The composition root reads the clock; everything below takes time as an input.
func nowMillis() -> EpochMillis {
    EpochMillis((Date().timeIntervalSince1970 * 1000).rounded())
}

/// Prints a message for a person to stderr and exits non-zero.
struct UserFacingError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
