import Foundation
import Testing
import VigilTesting

/// `vigil console` in a real pseudo-terminal (tmux) against a running daemon and broker.
@Suite("End to end: the operator console in a terminal", .serialized)
struct ConsoleEndToEndTests {
    /// A private tmux server (its own socket) running one console, 80×24 like a plain SSH terminal.
    final class Tmux {
        let socket: String
        let session = "vigil"

        init(dir: TemporaryDirectory, command: [String], name: String = "tmux", width: Int = 80) throws {
            socket = dir.file("\(name).sock")
            // Not through a pipe: the tmux server it starts would hold the pipe open for ever.
            let start = try ChildProcess(executable: "/usr/bin/tmux", arguments: ["-S", socket, "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "24"] + command, logPath: dir.file("\(name).log"))
            guard start.wait() == 0 else { throw TestKitError("tmux could not start the console: \(start.log())") }
        }

        func screen() -> String {
            (try? runProgram("/usr/bin/tmux", ["-S", socket, "capture-pane", "-p", "-t", session]).output) ?? ""
        }

        func press(_ keys: String...) {
            _ = try? runProgram("/usr/bin/tmux", ["-S", socket, "send-keys", "-t", session] + keys)
        }

        func stop() {
            _ = try? runProgram("/usr/bin/tmux", ["-S", socket, "kill-server"])
        }

        /// The pid of the program in the pane (the console itself).
        func panePID() -> Int32? {
            (try? runProgram("/usr/bin/tmux", ["-S", socket, "list-panes", "-t", session, "-F", "#{pane_pid}"]).output)
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    @Test func aFallAppearsIsClaimedWithAKeyAndLeavesWhenResolved() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke", "--address", "14 Elm Road", "--access", "Key safe by the back door")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")

        let tmux = try Tmux(dir: site.dir, command: [builtExecutable("vigil"), "console", "--broker", site.broker.address, "--operator", "op1", "--no-bell"])
        defer { tmux.stop() }
        #expect(waitUntil(seconds: 15) { tmux.screen().contains("connected") }, "\(tmux.screen())")

        let device = try TestDevice(site: site)
        #expect(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.status == .accepted)
        #expect(waitUntil(seconds: 10) { tmux.screen().contains("Edith Clarke") }, "\(tmux.screen())")
        let screen = tmux.screen()
        #expect(screen.contains("P1!!!"))
        #expect(waitUntil(seconds: 10) { tmux.screen().contains("Key safe by the back door") }, "the detail pane shows access notes")

        tmux.press("c")
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM alarms WHERE claimed_by = 'op1'") == 1 })
        #expect(waitUntil(seconds: 10) { tmux.screen().contains("you") })

        tmux.press("r")
        #expect(waitUntil(seconds: 10) { tmux.screen().contains("choose the outcome") })
        tmux.press("2", "Enter") // responder sent
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM alarms WHERE state = 'resolved' AND outcome = 'responder-sent'") == 1 })
        #expect(waitUntil(seconds: 10) { !tmux.screen().contains("Edith Clarke") }, "\(tmux.screen())")
        #expect(tmux.screen().contains("No open alarms"))

        tmux.press("q")
        #expect(waitUntil(seconds: 10) { (try? runProgram("/usr/bin/tmux", ["-S", tmux.socket, "has-session", "-t", tmux.session]).status) != 0 }, "the console quit")
    }
}
