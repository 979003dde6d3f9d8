import ArgumentParser
import VigilEngine

/// `--broker HOST:PORT --prefix PREFIX`: where the broker is and which topic tree is Vigil's. One
/// option group for `vigil serve`, `vigil console`, `vigil alarm` and every `vigil-sim` command, so the
/// flags are spelt, defaulted and checked the same way everywhere.
///
/// Both are optional so that `vigil serve` can fall back to its config file (`address(configured:)`);
/// every other command falls back to the defaults.
public struct BrokerOptions: ParsableArguments {
    public static let defaultPrefix = "telecare"

    @Option(help: ArgumentHelp("The Mosquitto broker (default \(BrokerAddress.default)).", valueName: "HOST:PORT"))
    public var broker: String?

    @Option(help: ArgumentHelp("The topic prefix of the device contract (default \(defaultPrefix)).", valueName: "PREFIX"))
    public var prefix: String?

    public init() {}

    /// Refuses a bad flag before anything runs, with the usage text.
    public func validate() throws {
        if let broker {
            do { _ = try BrokerAddress(parsing: broker) } catch let e as BrokerAddress.ParseError {
                throw ValidationError(e.described(as: "--broker"))
            }
        }
        if let prefix, let problem = Self.prefixProblem(prefix) { throw ValidationError("--prefix \(problem)") }
    }

    /// The flag, else `configured` (a config file's value; `source` names it in the error), else
    /// 127.0.0.1:1883.
    public func address(configured: String? = nil, source: String = "broker") throws -> BrokerAddress {
        let (text, name) = broker.map { ($0, "--broker") } ?? configured.map { ($0, source) } ?? (BrokerAddress.default.description, "--broker")
        do { return try BrokerAddress(parsing: text) } catch let e as BrokerAddress.ParseError {
            throw InputError(e.described(as: name))
        }
    }

    /// The flag, else `configured`, else `telecare`; checked like the flag.
    public func topicPrefix(configured: String?, source: String = "prefix") throws -> String {
        guard prefix == nil, let configured else { return topicPrefix }
        if let problem = Self.prefixProblem(configured) { throw InputError("\(source) \(problem)") }
        return configured
    }

    /// The flag or the default (`validate()` has checked the flag).
    public var topicPrefix: String { prefix ?? Self.defaultPrefix }

    /// Why `prefix` cannot start Vigil's topics, or nil. It is the first level of every topic: empty, or
    /// with a wildcard in it, the daemon would subscribe to other people's topics or to none.
    static func prefixProblem(_ prefix: String) -> String? {
        if prefix.isEmpty { return "must not be empty (the default is \(defaultPrefix))." }
        if prefix.contains(where: { "+#".contains($0) }) { return "\"\(prefix)\" must not contain the MQTT wildcards + or #." }
        return nil
    }
}
