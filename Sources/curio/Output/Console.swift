import CurioCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's standard streams: results on stdout, logs and progress on stderr.
///
/// Thread-safe. When a progress line is showing on a terminal, anything written to stderr first
/// clears it and then redraws it below, so logs and the bar never garble each other.
final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var status: String?
    /// Whether stderr is a terminal (progress bars and colours) rather than a file or pipe.
    let stderrIsTerminal: Bool
    /// Whether stdout is a terminal (wider, friendlier tables) rather than a file or pipe.
    let stdoutIsTerminal: Bool

    init() {
        stderrIsTerminal = isatty(STDERR_FILENO) == 1
        stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    }

    /// Columns of the terminal, from the kernel, `$COLUMNS`, or 100 for pipes.
    var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 { return columns }
        return 100
    }

    /// Writes to stdout (the command's result).
    func out(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        Self.write(text, to: STDOUT_FILENO)
    }

    /// Writes a line to stderr, keeping any progress line intact.
    func err(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if status != nil { Self.write("\r\u{1B}[K", to: STDERR_FILENO) }
        Self.write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
        if let status { Self.write(status, to: STDERR_FILENO) }
    }

    /// Shows (or with nil, removes) a one-line status on a terminal's stderr. Ignored when stderr is not a terminal.
    func setStatus(_ line: String?) {
        guard stderrIsTerminal else { return }
        lock.lock()
        defer { lock.unlock() }
        Self.write("\r\u{1B}[K", to: STDERR_FILENO)
        if let line { Self.write(line, to: STDERR_FILENO) }
        status = line
    }

    /// Writes a value as pretty-printed JSON with sorted keys on stdout.
    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        out((String(data: data, encoding: .utf8) ?? "{}") + "\n")
    }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return Glibc.write(fd, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
        bytes.removeAll()
    }
}

/// Writes log records to stderr through the ``Console``: `curio: warning: message (key=value)`.
struct ConsoleLogHandler: LogHandler {
    let console: Console
    let minimumLevel: LogLevel

    func write(_ record: LogRecord) {
        var line = "curio: "
        if record.level != .info && record.level != .notice { line += "\(record.level): " }
        line += record.message
        if !record.metadata.isEmpty {
            line += " (" + record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ", ") + ")"
        }
        console.err(line)
    }
}
