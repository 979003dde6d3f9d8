import Foundation
import Mosquitto
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, section 8: the database on a small filesystem of its own (a tmpfs), filled past the
/// daemon's free-space floor and then freed. Below the floor emergencies are still taken, every
/// other event waits unacknowledged at its device, every console is told, and the WAL is given back;
/// with space freed the daemon takes everything again by itself. Nothing acknowledged is lost.
@Suite("End to end: a nearly full disk", .serialized)
struct DiskFullTests {
    /// Mounts a tmpfs of `megabytes` (the tests run as root, as CI does) and returns its path.
    static func mountSmallDisk(_ dir: TemporaryDirectory, megabytes: Int) throws -> String {
        let mountPoint = dir.file("small-disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let r = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", mountPoint])
        guard r.status == 0 else { throw TestKitError("could not mount a \(megabytes) MB tmpfs at \(mountPoint) (this test needs root): \(r.error)") }
        return mountPoint
    }

    static func freeBytes(_ path: String) -> Int64 {
        var s = statvfs()
        _ = statvfs(path, &s)
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    /// The daemon's retained status, as a console reads it on connecting.
    static func status(_ site: Site) throws -> DaemonStatus? {
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port))
        defer { client.disconnect() }
        try client.subscribe(ConsoleTopics().daemonStatus, qos: 1)
        var found: DaemonStatus?
        _ = waitUntil(seconds: 5) {
            for case .message(let m) in client.pump(timeoutMilliseconds: 20) {
                found = WireDecoder().decode(DaemonStatus.self, from: m.payload)
            }
            return found != nil
        }
        return found
    }

    @Test func belowTheFloorOnlyEmergenciesAreTakenAndServiceResumesWhenSpaceReturns() throws {
        let holder = try TemporaryDirectory(prefix: "vigil-disk")
        let disk = try Self.mountSmallDisk(holder, megabytes: 48)
        defer {
            _ = try? runProgram("/bin/umount", [disk])
            holder.remove()
        }
        let site = try Site(startDaemon: false, config: "disk_floor_mb: 16\n", databaseDirectory: disk)
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.startVigil()
        let device = try TestDevice(site: site)
        #expect(device.send("pend-1", eventID: "b1", event("b1", "button"))?.status == .accepted)
        #expect(device.send("pend-1", eventID: "lb1", event("lb1", "low_battery"))?.status == .accepted)

        // Something else on the disk fills it to 8 MB free, under the 16 MB floor.
        let ballast = disk + "/ballast"
        let fill = Self.freeBytes(disk) - (8 << 20)
        #expect(fill > 0)
        #expect(FileManager.default.createFile(atPath: ballast, contents: Data(count: Int(fill))))
        #expect(waitUntil(seconds: 10) { site.daemon.log().contains("the database disk is nearly full") })
        let warned = try Self.status(site)
        #expect(warned?.online == true)
        #expect(warned?.warning?.contains("only emergencies are being accepted") == true, "\(warned?.warning ?? "no warning")")
        // The WAL is checkpointed and given back to the filesystem.
        #expect(waitUntil(seconds: 5) { ((try? FileManager.default.attributesOfItem(atPath: site.dbPath + "-wal")[.size] as? Int) ?? 0) == 0 })

        // A low battery waits at the device; a fall is taken and raised as ever.
        #expect(device.send("pend-1", eventID: "lb2", event("lb2", "low_battery")) == nil, "no ack while the disk is below its floor")
        let fall = device.send("pend-1", eventID: "f1", event("f1", "fall"))
        #expect(fall?.status == .accepted && fall?.alarm != nil)
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id = 'lb2'") == 0)

        // Space is freed: the daemon takes everything again by itself, and the resent event is stored once.
        try FileManager.default.removeItem(atPath: ballast)
        #expect(waitUntil(seconds: 10) { site.daemon.log().contains("space on the database disk is back above the floor") })
        #expect(waitUntil(seconds: 10) {
            guard let s = try? Self.status(site) else { return false }
            return s.warning == nil
        })
        #expect(device.send("pend-1", eventID: "lb2", event("lb2", "low_battery"))?.status == .accepted)
        #expect(site.daemon.isRunning)
        // Every acknowledged event is stored, each once.
        for id in ["b1", "lb1", "f1", "lb2"] {
            #expect(try site.count("SELECT count(*) FROM events WHERE event_id = ?", [.text(id)]) == 1, "\(id)")
        }
    }
}
