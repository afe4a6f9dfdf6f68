import Foundation

/// How important a log message is, from the chattiest to the most severe.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error, critical

    /// Levels order from `trace` (least severe) to `critical`.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The lower-case name (`warning`).
    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// Parses a level name (`debug`, `info`, `warning`, …), case-insensitively; `warn` is accepted for `warning`.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "warn" { self = .warning; return }
        guard let level = Self.allCases.first(where: { $0.description == lowered }) else { return nil }
        self = level
    }
}

/// One log record as delivered to a ``LogHandler``.
public struct LogRecord: Sendable {
    /// How important the record is.
    public var level: LogLevel
    /// The message, already built.
    public var message: String
    /// Structured context (`file`, `port`, `count`), rendered by the handler as it sees fit.
    public var metadata: [String: String]
    /// The label of the logger that produced the record (usually a module or subsystem: `curio.ingest`).
    public var label: String
    /// When it was logged.
    public var timestamp: Date

    /// A record as a handler receives it.
    public init(level: LogLevel, message: String, metadata: [String: String], label: String, timestamp: Date) {
        self.level = level
        self.message = message
        self.metadata = metadata
        self.label = label
        self.timestamp = timestamp
    }
}

/// Where log records go. Libraries never choose a handler; the application (CLI, server, app) does.
///
/// Implementations must be thread-safe: loggers are shared across threads.
public protocol LogHandler: Sendable {
    /// Records below this level are dropped before their message is even built.
    var minimumLevel: LogLevel { get }
    /// Delivers one record.
    func write(_ record: LogRecord)
}

/// A handler that drops everything: the default for library code that was given no logger.
public struct DiscardingLogHandler: LogHandler {
    /// A handler that drops every record.
    public init() {}
    /// Nothing reaches it, so messages are never built.
    public var minimumLevel: LogLevel { .critical }
    /// Drops the record.
    public func write(_ record: LogRecord) {}
}

/// A cheap, copyable value that library code logs through, in the spirit of swift-log.
///
/// ```swift
/// let logger = Logger(label: "curio.ingest", handler: myHandler)
/// logger.info("ingested file", metadata: ["file": path, "items": "\(count)"])
/// ```
/// Messages are autoclosures: a message below the handler's level costs nothing to skip.
public struct Logger: Sendable {
    /// Subsystem name carried by every record (`curio.http`).
    public var label: String
    /// Where records go.
    public var handler: any LogHandler

    /// A logger that discards everything; what libraries use when the caller passes none.
    public static let disabled = Logger(label: "curio", handler: DiscardingLogHandler())

    /// A logger writing to `handler` under `label`.
    public init(label: String, handler: any LogHandler) {
        self.label = label
        self.handler = handler
    }

    /// The same handler under another label (`curio` → `curio.http`).
    public func labelled(_ label: String) -> Logger { Logger(label: label, handler: handler) }

    /// Whether a record at `level` would be written.
    public func isEnabled(_ level: LogLevel) -> Bool { level >= handler.minimumLevel }

    /// Logs `message` at `level` with optional structured metadata.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String,
                    metadata: @autoclosure () -> [String: String] = [:]) {
        guard isEnabled(level) else { return }
        handler.write(LogRecord(level: level, message: message(), metadata: metadata(), label: label,
                                timestamp: Date()))
    }

    /// Logs at ``LogLevel/trace``.
    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.trace, message(), metadata: metadata())
    }
    /// Logs at ``LogLevel/debug``.
    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.debug, message(), metadata: metadata())
    }
    /// Logs at ``LogLevel/info``.
    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.info, message(), metadata: metadata())
    }
    /// Logs at ``LogLevel/notice``.
    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.notice, message(), metadata: metadata())
    }
    /// Logs at ``LogLevel/warning``.
    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.warning, message(), metadata: metadata())
    }
    /// Logs at ``LogLevel/error``.
    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.error, message(), metadata: metadata())
    }
    /// Logs at ``LogLevel/critical``.
    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:]) {
        log(.critical, message(), metadata: metadata())
    }
}
