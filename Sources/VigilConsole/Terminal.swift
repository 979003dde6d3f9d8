#if canImport(Glibc)
import Glibc
#endif

/// The thin terminal layer: raw mode, the alternate screen, size, and writing. Everything about
/// what to draw lives in `ConsoleModel` and `Screen`, which never touch the terminal.
///
/// The terminal is restored on normal exit, on SIGTERM/SIGHUP/SIGINT and on a crash signal: an
/// operator's SSH session must never be left in raw mode at 3 a.m.
public final class Terminal {
    nonisolated(unsafe) private static var saved: termios?
    private let input: Int32 = STDIN_FILENO
    private let output: Int32 = STDOUT_FILENO

    public init() throws {
        var t = termios()
        guard isatty(input) == 1, tcgetattr(input, &t) == 0 else {
            throw ConsoleError("vigil console needs a terminal (run it in a terminal or over ssh -t).")
        }
        Terminal.saved = t
        var raw = t
        // No echo, no line buffering, no signals from ^C (we ask before quitting), no CR/LF mangling.
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        raw.c_oflag &= ~tcflag_t(OPOST)
        raw.c_cflag |= tcflag_t(CS8)
        tcsetattr(input, TCSAFLUSH, &raw)
        atexit { Terminal.restore() }
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] {
            signal(sig) { s in
                Terminal.restore()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    }

    /// Leaves the alternate screen and puts the saved modes back. Safe to call twice, and from a
    /// signal handler (it only uses write and tcsetattr).
    public static func restore() {
        guard var t = saved else { return }
        let reset = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
        _ = reset.withCString { Glibc.write(STDOUT_FILENO, $0, strlen($0)) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &t)
        saved = nil
    }

    public var size: (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(output, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 { return (Int(ws.ws_col), Int(ws.ws_row)) }
        return (80, 24)
    }

    public var inputDescriptor: Int32 { input }

    /// Reads whatever input is ready (non-blocking after poll said so).
    public func read() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, 512) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    public func write(_ s: String) {
        var bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(output, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    deinit { Terminal.restore() }
}

public struct ConsoleError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
