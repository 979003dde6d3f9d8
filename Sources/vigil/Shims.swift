import Foundation
import VigilWire

typealias VigilWireIdentifier = VigilWire.Identifier

enum FileManagerShim {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
