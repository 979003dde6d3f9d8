#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VigilStore
import VigilTesting

/// `--credentials` on `vigil devices add` / `vigil operators add`: registration and broker login
/// succeed or fail together, and no login can take over another.
@Suite("CLI: broker credentials")
struct CredentialTests {
    func run(_ args: String...) throws -> (status: Int32, output: String, error: String) {
        try runProgram(builtExecutable("vigil"), args)
    }

    @Test func registrationAndCredentialsSucceedOrFailTogether() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-cred")
        defer { dir.remove() }
        let db = dir.file("vigil.db"), passwd = dir.file("vigil.passwd")
        #expect(try run("users", "add", "--db", db, "--id", "u1", "--name", "Edith Clarke").status == 0)

        // The password file cannot be written: the device is not registered either.
        let failed = try run("devices", "add", "--db", db, "--id", "dev-1", "--user", "u1", "--type", "pendant",
                             "--credentials", "--password-file", dir.file("missing/vigil.passwd"))
        #expect(failed.status != 0)
        #expect(try Registry(Database(path: db)).devices().isEmpty)

        // It can: one entry, a 24-character password shown once, file mode 0640, audit without it.
        let ok = try run("devices", "add", "--db", db, "--id", "dev-1", "--user", "u1", "--type", "pendant",
                         "--credentials", "--password-file", passwd)
        #expect(ok.status == 0, "\(ok.error)")
        let password = try issuedPassword(ok.output)
        #expect(password.count == 24)
        let entries = try String(contentsOfFile: passwd, encoding: .utf8).split(separator: "\n")
        #expect(entries.count == 1)
        #expect(entries.first?.hasPrefix("dev-1:$7$") == true)
        var info = stat()
        #expect(stat(passwd, &info) == 0 && info.st_mode & 0o777 == 0o640)
        let trail = try run("audit", "--db", db).output
        #expect(trail.contains("credentials-issued") && trail.contains("device-added") && !trail.contains(password))

        // An operator may not take a device's login, nor anyone the daemon's or the bridge's.
        let clash = try run("operators", "add", "--db", db, "--id", "dev-1", "--name", "Pat Lowe",
                            "--credentials", "--password-file", passwd, "--acl-file", dir.file("vigil.acl"))
        #expect(clash.status != 0)
        #expect(clash.error.contains("already has an entry"))
        for reserved in ["vigil-serve", "zigbee2mqtt"] {
            let r = try run("devices", "add", "--db", db, "--id", reserved, "--user", "u1", "--type", "pendant",
                            "--credentials", "--password-file", passwd)
            #expect(r.status != 0)
            #expect(r.error.contains("reserved"))
        }
        #expect(try Registry(Database(path: db)).operators().isEmpty)
        #expect(try Registry(Database(path: db)).devices().map(\.id) == ["dev-1"])
        #expect(try String(contentsOfFile: passwd, encoding: .utf8).split(separator: "\n").count == 1)
    }
}
