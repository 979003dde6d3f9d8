import ArgumentParser
import Foundation
import Testing
import VigilCommandLine
import VigilEngine
import VigilWire

/// The message ArgumentParser would print for `args`, or nil when they parse and validate.
func refusal<T: ParsableArguments>(_ type: T.Type, _ args: [String]) -> String? {
    do {
        _ = try T.parse(args)
        return nil
    } catch {
        return T.message(for: error)
    }
}

@Suite("Broker addresses (HOST:PORT)")
struct BrokerAddressTests {
    @Test(arguments: [
        ("127.0.0.1:1883", "127.0.0.1", 1883), ("localhost:1", "localhost", 1), ("broker.example.org:65535", "broker.example.org", 65535),
        ("[::1]:1883", "::1", 1883), ("[fe80::1%eth0]:8883", "fe80::1%eth0", 8883),
    ] as [(String, String, Int32)])
    func goodAddresses(text: String, host: String, port: Int32) throws {
        let a = try BrokerAddress(parsing: text)
        #expect(a.host == host)
        #expect(a.port == port)
        #expect(a.description == text)   // reads back as written
    }

    @Test(arguments: [
        ("127.0.0.1", "it has no :PORT"), (":1883", "the host is missing"), ("[]:1883", "the host is missing"),
        ("localhost:", "the port must be a number from 1 to 65535"), ("localhost:0", "the port must be a number from 1 to 65535"),
        ("localhost:65536", "the port must be a number from 1 to 65535"), ("localhost:+1883", "the port must be a number from 1 to 65535"),
        ("localhost:18 83", "the port must be a number from 1 to 65535"), ("localhost:mqtt", "the port must be a number from 1 to 65535"),
        ("::1:1883", "an IPv6 address goes in brackets, like [::1]:1883"), ("my broker:1883", "the host has a space in it"),
    ])
    func badAddressesSayWhatIsWrong(text: String, reason: String) {
        #expect {
            try BrokerAddress(parsing: text)
        } throws: { error in
            guard let e = error as? BrokerAddress.ParseError else { return false }
            return e.reason == reason
                && e.described(as: "--broker") == "--broker \"\(text)\" must be HOST:PORT, for example 127.0.0.1:1883 (\(reason))."
        }
    }
}

@Suite("The broker option group")
struct BrokerOptionsTests {
    @Test func defaultsWithoutFlags() throws {
        let o = try BrokerOptions.parse([])
        #expect(try o.address() == BrokerAddress(host: "127.0.0.1", port: 1883))
        #expect(o.topicPrefix == "telecare")
    }

    @Test func flagsWinOverTheConfigFileWhichWinsOverTheDefaults() throws {
        let flags = try BrokerOptions.parse(["--broker", "10.0.0.5:1884", "--prefix", "site-a"])
        #expect(try flags.address(configured: "10.0.0.9:1883") == BrokerAddress(host: "10.0.0.5", port: 1884))
        #expect(try flags.topicPrefix(configured: "site-b") == "site-a")
        let none = try BrokerOptions.parse([])
        #expect(try none.address(configured: "10.0.0.9:1883") == BrokerAddress(host: "10.0.0.9", port: 1883))
        #expect(try none.topicPrefix(configured: "site-b") == "site-b")
        #expect(try none.topicPrefix(configured: nil) == "telecare")
    }

    @Test func aBadFlagIsRefusedBeforeTheCommandRunsAndNamesTheFlag() {
        #expect(refusal(BrokerOptions.self, ["--broker", "localhost"]) == "--broker \"localhost\" must be HOST:PORT, for example 127.0.0.1:1883 (it has no :PORT).")
        #expect(refusal(BrokerOptions.self, ["--prefix", "a/+"]) == "--prefix \"a/+\" must not contain the MQTT wildcards + or #.")
        #expect(refusal(BrokerOptions.self, ["--prefix", ""])?.hasPrefix("--prefix must not be empty") == true)
        #expect(refusal(BrokerOptions.self, ["--broker", "[::1]:1883", "--prefix", "telecare"]) == nil)
    }

    @Test func aBadConfigValueNamesTheFileAndKey() throws {
        let none = try BrokerOptions.parse([])
        #expect(throws: InputError("vigil.yaml: broker \"broker.local\" must be HOST:PORT, for example 127.0.0.1:1883 (it has no :PORT).")) {
            try none.address(configured: "broker.local", source: "vigil.yaml: broker")
        }
        #expect(throws: InputError("vigil.yaml: prefix \"#\" must not contain the MQTT wildcards + or #.")) {
            try none.topicPrefix(configured: "#", source: "vigil.yaml: prefix")
        }
    }
}

@Suite("An operator's login")
struct OperatorLoginTests {
    func passwordFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pw-\(UInt64.random(in: 0...UInt64.max))").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func withAPasswordFileTheOperatorIdIsTheUserName() throws {
        let path = try passwordFile("s3cret-Pass\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let login = try OperatorLogin.parse(["--operator", "op1", "--password-file", path])
        let c = try login.credentials()
        #expect(c.username == "op1")
        #expect(c.password == "s3cret-Pass")
        let named = try OperatorLogin.parse(["--operator", "op1", "--username", "night-desk", "--password-file", path])
        #expect(try named.credentials().username == "night-desk")
    }

    @Test func withoutOneTheLoginIsAnonymousUnlessAUserNameIsGiven() throws {
        let anonymous = try OperatorLogin.parse(["--operator", "op1"]).credentials()
        #expect(anonymous.username == nil && anonymous.password == nil)
        let named = try OperatorLogin.parse(["--operator", "op1", "--username", "dev"]).credentials()
        #expect(named.username == "dev" && named.password == nil)
    }

    @Test func anUnreadableOrEmptyPasswordFileIsRefusedWithItsPath() throws {
        #expect(throws: InputError("Cannot read the password file /nonexistent/pw: check that it exists and that this user may read it.")) {
            try PasswordFile.read("/nonexistent/pw")
        }
        let empty = try passwordFile(" \n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: InputError("The password file \(empty) is empty: put the broker password in it.")) { try PasswordFile.read(empty) }
    }

    @Test func theOperatorIdFollowsTheIdGrammar() {
        #expect(refusal(OperatorLogin.self, ["--operator", "op 1"]) == "--operator \"op 1\" must be \(IdentifierArgument.rule).")
        #expect(refusal(OperatorLogin.self, ["--operator", "sup.night_2:a-b"]) == nil)
    }
}

@Suite("Typed ids")
struct IdentifierArgumentTests {
    @Test(arguments: ["u-001", "A", "pendant.42", "site:dev_7", String(repeating: "x", count: 64)])
    func goodIds(id: String) throws {
        #expect(Identifier.isValid(id))
        try IdentifierArgument.check(id, as: "The device id")
    }

    @Test(arguments: ["", " u1", "u 1", "Zoë", "李", "a/b", "a+b", "a#b", "u1\n", String(repeating: "x", count: 65)])
    func badIdsAreRefusedWithTheRule(id: String) {
        #expect(!Identifier.isValid(id))
        #expect {
            try IdentifierArgument.check(id, as: "The device id")
        } throws: { error in
            (error as? ValidationError)?.message == "The device id \"\(id)\" must be 1–64 characters of letters A–Z a–z, digits and . _ : - (no spaces or accents)."
        }
    }
}

@Suite("Config times of day")
struct ConfigTimeTests {
    @Test func theNightWindowReadsHHMM() throws {
        let c = try VigilConfig.parse("triage:\n  night_start: \"21:30\"\n  night_end: \"6:45\"\n", source: "t.yaml")
        let p = try c.triagePolicy()
        #expect(p.nightStartMinute == 21 * 60 + 30)
        #expect(p.nightEndMinute == 6 * 60 + 45)
    }

    @Test(arguments: ["24:00", "21:5", "9pm"])
    func aBadTimeNamesTheFileAndTheKey(time: String) {
        #expect {
            try VigilConfig.parse("triage:\n  night_start: \"\(time)\"\n", source: "t.yaml")
        } throws: { error in
            "\(error)" == "t.yaml: triage.night_start must be a time of day HH:MM on the 24-hour clock, like \"22:00\", not \"\(time)\"."
        }
    }
}
