import Testing
import VigilStore
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

@Suite("Database file mode")
struct DatabaseModeTests {
    @Test func aNewDatabaseAndItsWALAreOwnerOnlyWhateverTheUmask() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-mode")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        let old = umask(0o022)
        defer { umask(old) }
        let db = try Database.openVigil(path: path, now: 0)
        try Registry(db).addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 0)
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            #expect(stat(file, &info) == 0, "\(file) is missing")
            #expect(info.st_mode & 0o777 == 0o600, "\(file) has mode \(String(info.st_mode & 0o777, radix: 8))")
        }
    }

    @Test func anExistingDatabaseIsLeftAsItIsButItsExposureIsReported() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-mode")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        _ = try Database.openVigil(path: path, now: 0)
        #expect(PrivateFile.exposure(path) == 0)
        chmod(path, 0o644)
        _ = try Database.openVigil(path: path, now: 0)
        #expect(PrivateFile.exposure(path) == 0o044)
    }
}
