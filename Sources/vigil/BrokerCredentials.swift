import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Issues a Mosquitto password entry for a device or an operator: generates a strong random password,
/// adds its salted hash to the broker's password file with `mosquitto_passwd`, and returns the
/// password so the installer can be shown it once. Vigil never stores the password itself.
struct BrokerCredentials {
    /// The broker's password file (`password_file` in deploy/mosquitto/vigil.conf).
    let passwordFile: String

    static let defaultPasswordFile = "/etc/mosquitto/vigil.passwd"

    /// Usernames of the service's own clients: a device or operator may never take one, or its entry
    /// would replace the daemon's (or the bridge's) password and inherit its ACL.
    static let reserved: Set<String> = ["vigil-serve", "zigbee2mqtt", "vigil-monitor"]

    /// 18 bytes from the system's CSPRNG (getrandom on Linux), base64url: 24 characters, 144 bits.
    static func generatePassword() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<18).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// Refuses before anything is written: a reserved name, or a name that already has an entry
    /// (a device and an operator sharing an id would overwrite each other's password).
    func checkAvailable(_ username: String) throws {
        if Self.reserved.contains(username) {
            throw CredentialError("\(username) is reserved for the service's own broker login; choose another id.")
        }
        if let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
           text.split(separator: "\n").contains(where: { $0.hasPrefix("\(username):") }) {
            throw CredentialError("\(passwordFile) already has an entry for \(username); remove it with `mosquitto_passwd -D \(passwordFile) \(username)` first.")
        }
    }

    /// Adds `username` with a new password to the password file and returns the password.
    func issue(for username: String) throws -> String {
        try checkAvailable(username)
        try createIfMissing()
        let password = Self.generatePassword()
        guard let tool = ["/usr/bin/mosquitto_passwd", "/usr/sbin/mosquitto_passwd", "/usr/local/bin/mosquitto_passwd"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CredentialError("mosquitto_passwd is not installed (apt-get install mosquitto).")
        }
        // The password goes through stdin (asked twice), never on the command line where other local
        // users could read it in /proc.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = [passwordFile, username]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = output
        try p.run()
        input.fileHandleForWriting.write(Data("\(password)\n\(password)\n".utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CredentialError("mosquitto_passwd could not add \(username) to \(passwordFile): \(said.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return password
    }

    /// Grants an operator the live queue: a `user` block appended to the broker's ACL file. (Mosquitto
    /// has no groups; a pattern would grant the queue to every device too.)
    /// A supervisor also reads every operator's notices, to see who has not acknowledged one.
    func grantQueue(to username: String, aclFile: String, supervisor: Bool = false) throws {
        guard let handle = FileHandle(forWritingAtPath: aclFile) else {
            throw CredentialError("Cannot open the broker ACL file \(aclFile) to grant \(username) the queue.")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("""

            # operator \(username) (vigil operators add --credentials)
            user \(username)
            topic read telecare/v1/queue/#
            topic read telecare/v1/vigil/status
            \(supervisor ? "topic read telecare/v1/console/+/notices/#\n" : "")
            """.utf8))
    }

    /// mosquitto_passwd only updates an existing file. A new one is made readable by its owner and
    /// group only (0640): the broker reads it as the mosquitto group; nobody else should see hashes.
    private func createIfMissing() throws {
        guard !FileManager.default.fileExists(atPath: passwordFile) else { return }
        let fd = open(passwordFile, O_WRONLY | O_CREAT | O_EXCL, 0o640)
        guard fd >= 0 else {
            throw CredentialError("Cannot create the password file \(passwordFile): \(String(cString: strerror(errno))).")
        }
        close(fd)
    }
}

struct CredentialError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
