import Foundation
import VigilCore
import Yams

/// The daemon's configuration file (YAML). Every key is optional; command-line flags win.
/// See deploy/vigil.example.yaml for a commented example.
public struct VigilConfig: Decodable, Sendable, Equatable {
    public var db: String?
    public var broker: String?
    public var prefix: String?
    public var clientID: String?
    public var username: String?
    public var passwordFile: String?
    public var triage: Triage?

    public struct Triage: Decodable, Sendable, Equatable {
        public var nightStart: String?
        public var nightEnd: String?
        public var coldCelsius: Double?
        public var hotCelsius: Double?

        enum CodingKeys: String, CodingKey {
            case nightStart = "night_start", nightEnd = "night_end", coldCelsius = "cold_celsius", hotCelsius = "hot_celsius"
        }
    }

    enum CodingKeys: String, CodingKey {
        case db, broker, prefix, triage, username
        case clientID = "client_id"
        case passwordFile = "password_file"
    }

    public init() {}

    /// Reads and checks a config file, with errors that name the file and the problem.
    public static func load(path: String) throws -> VigilConfig {
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw ConfigError("Cannot read the config file \(path): check that it exists and is readable.")
        }
        do {
            let config = try YAMLDecoder().decode(VigilConfig.self, from: text)
            _ = try config.triagePolicy()
            return config
        } catch let e as ConfigError {
            throw ConfigError("\(path): \(e.description)")
        } catch {
            throw ConfigError("\(path) is not a valid Vigil config: \(error)")
        }
    }

    /// The triage policy with this file's overrides applied to the defaults.
    public func triagePolicy() throws -> TriagePolicy {
        var p = TriagePolicy.default
        if let s = triage?.nightStart { p.nightStartMinute = try Self.minute(s, key: "triage.night_start") }
        if let s = triage?.nightEnd { p.nightEndMinute = try Self.minute(s, key: "triage.night_end") }
        if let c = triage?.coldCelsius { p.coldCelsius = c }
        if let h = triage?.hotCelsius { p.hotCelsius = h }
        guard p.coldCelsius < p.hotCelsius else {
            throw ConfigError("triage.cold_celsius (\(p.coldCelsius)) must be below triage.hot_celsius (\(p.hotCelsius)).")
        }
        return p
    }

    static func minute(_ s: String, key: String) throws -> Int {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else {
            throw ConfigError("\(key) must be a time of day like \"22:00\", not \"\(s)\".")
        }
        return h * 60 + m
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `HOST:PORT` as given on the command line or in the config.
public struct BrokerAddress: Sendable, Equatable {
    public var host: String
    public var port: Int32

    public init(host: String, port: Int32) {
        self.host = host
        self.port = port
    }

    public init(parsing s: String) throws {
        guard let colon = s.lastIndex(of: ":"), let port = Int32(s[s.index(after: colon)...]), (1...65_535).contains(port),
              colon != s.startIndex else {
            throw ConfigError("The broker address \"\(s)\" must be HOST:PORT, for example 127.0.0.1:1883.")
        }
        host = String(s[..<colon])
        self.port = port
    }
}
