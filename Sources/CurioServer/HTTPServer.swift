import CCurioHTTP
import CMicroHTTPD
import CurioCore
import Foundation

/// How the HTTP server listens and what it accepts.
public struct HTTPServerConfiguration: Sendable {
    /// IPv4 or IPv6 address literal to listen on (`127.0.0.1`, `0.0.0.0`, `::1`).
    public var host: String
    /// Port; 0 picks a free one (see ``HTTPServer/port``).
    public var port: UInt16
    /// Worker threads (libmicrohttpd's thread pool).
    public var threads: Int

    /// Four worker threads per core. libmicrohttpd hands each connection to one worker for its whole life (the one
    /// that accepted it), so with one worker per core a burst of keep-alive connections can land on a single worker
    /// and leave the other cores idle: measured, 16 wrk connections on 2 workers served ~1,050 recommendation
    /// requests/s on one busy core; on 8 workers the connections spread and both cores served 2,100/s.
    public static var defaultThreads: Int { min(256, 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)) }
    /// Largest request body accepted; larger bodies get 413.
    public var maxBodyBytes: Int
    /// Simultaneous connections; more are refused by libmicrohttpd.
    public var connectionLimit: Int
    /// Idle connections are closed after this many seconds.
    public var connectionTimeoutSeconds: Int
    /// Memory per connection for the request line and headers; larger headers are answered by libmicrohttpd
    /// with 431 (or 414 for a request line that does not fit).
    public var connectionMemoryBytes: Int

    /// Defaults: loopback, port 8080, four threads per core (``defaultThreads``), 1 MiB bodies, 1,024 connections,
    /// 30 s idle timeout, 64 KiB for request line and headers.
    public init(host: String = "127.0.0.1", port: UInt16 = 8080,
                threads: Int = HTTPServerConfiguration.defaultThreads,
                maxBodyBytes: Int = 1 << 20, connectionLimit: Int = 1024, connectionTimeoutSeconds: Int = 30,
                connectionMemoryBytes: Int = 64 << 10) {
        self.host = host
        self.port = port
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
        self.connectionLimit = connectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.connectionMemoryBytes = connectionMemoryBytes
    }
}

/// Failures to start the server.
public enum HTTPServerError: Error, CustomStringConvertible, Sendable {
    case cannotStart(host: String, port: UInt16, reason: String)
    case invalidConfiguration(String)

    /// A message naming the address and the reason.
    public var description: String {
        switch self {
        case let .cannotStart(host, port, reason): "Cannot listen on \(host):\(port): \(reason)"
        case let .invalidConfiguration(reason): "Invalid server configuration: \(reason)"
        }
    }
}

/// The state libmicrohttpd's callbacks reach through their context pointer.
final class ServerCore: @unchecked Sendable {
    let handler: any HTTPHandler
    let maxBodyBytes: Int
    /// Bytes of an over-limit body read (and dropped) before the connection is closed instead.
    let discardLimitBytes: Int
    let logger: Logger
    private let lock = NSLock()
    private var inFlight = 0
    private var draining = false
    /// Unique non-null pointers stored in `*con_cls` for requests without per-request state:
    /// "headers in, no body, answer on the next call" and "already answered".
    let bodylessMarker: UnsafeMutableRawPointer
    let answeredMarker: UnsafeMutableRawPointer

    init(handler: any HTTPHandler, maxBodyBytes: Int, logger: Logger) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
        // A body is read and dropped up to a few times the limit (so the client gets its 413), then cut off.
        let (scaled, overflow) = maxBodyBytes.multipliedReportingOverflow(by: 4)
        discardLimitBytes = overflow ? Int.max : scaled.addingReportingOverflow(1 << 20).overflow ? Int.max : scaled + (1 << 20)
        self.logger = logger
        bodylessMarker = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        answeredMarker = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
    }

    deinit {
        bodylessMarker.deallocate()
        answeredMarker.deallocate()
    }

    func requestStarted() {
        lock.lock()
        inFlight += 1
        lock.unlock()
    }

    func requestFinished() {
        lock.lock()
        inFlight -= 1
        lock.unlock()
    }

    var requestsInFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight
    }

    var isDraining: Bool {
        lock.lock()
        defer { lock.unlock() }
        return draining
    }

    func startDraining() {
        lock.lock()
        draining = true
        lock.unlock()
    }

    func dispatch(_ state: RequestState) -> HTTPResponse {
        let request = HTTPRequest(method: state.method, path: state.path, query: state.query, headers: state.headers,
                                  body: state.body)
        if logger.isEnabled(.debug) {
            let started = DispatchTime.now().uptimeNanoseconds
            let response = handler.handle(request)
            let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
            logger.debug("\(request.method) \(request.path) → \(response.status.rawValue) in \(micros) µs")
            return response
        }
        return handler.handle(request)
    }

    func tooLargeResponse(path: String, declared: Int) -> HTTPResponse {
        Problem(.payloadTooLarge, detail: "The body has \(declared) bytes; the limit is \(maxBodyBytes) bytes.")
            .response(instance: Router.instance(path))
    }
}

/// An HTTP/1.1 server on libmicrohttpd with an internal thread pool, serving one ``HTTPHandler``.
///
/// ```swift
/// let server = try HTTPServer(configuration: .init(port: 0), handler: router)
/// print(server.port)
/// server.shutdown()   // graceful: stop accepting, finish in-flight requests, stop
/// ```
public final class HTTPServer: @unchecked Sendable {
    /// How the server was started.
    public let configuration: HTTPServerConfiguration
    private let core: ServerCore
    private var server: OpaquePointer?
    private let lock = NSLock()
    /// The port actually bound (differs from the configuration when it asked for port 0).
    public let port: UInt16

    /// Starts listening at once.
    /// - Throws: ``HTTPServerError`` when the address is invalid or taken.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger = .disabled) throws {
        guard configuration.threads >= 1, configuration.threads <= 256 else {
            throw HTTPServerError.invalidConfiguration("threads must be between 1 and 256, got \(configuration.threads)")
        }
        guard configuration.maxBodyBytes >= 0 else {
            throw HTTPServerError.invalidConfiguration("the body limit cannot be negative")
        }
        guard (1...1_000_000).contains(configuration.connectionLimit) else {
            throw HTTPServerError.invalidConfiguration("the connection limit must be between 1 and 1000000")
        }
        guard (0...86_400).contains(configuration.connectionTimeoutSeconds) else {
            throw HTTPServerError.invalidConfiguration("the connection timeout must be between 0 and 86400 seconds")
        }
        guard (4096...(64 << 20)).contains(configuration.connectionMemoryBytes) else {
            throw HTTPServerError.invalidConfiguration("the per-connection memory must be between 4 KiB and 64 MiB")
        }
        self.configuration = configuration
        core = ServerCore(handler: handler, maxBodyBytes: configuration.maxBodyBytes, logger: logger)
        let context = Unmanaged.passUnretained(core).toOpaque()
        var reason: UnsafePointer<CChar>?
        let started = curio_http_start(configuration.host, configuration.port, UInt32(configuration.threads),
                                       UInt32(configuration.connectionLimit),
                                       UInt32(configuration.connectionTimeoutSeconds),
                                       configuration.connectionMemoryBytes, 128,
                                       curioAccessHandler, context, curioRequestCompleted, context,
                                       curioHTTPLog, context, &reason)
        guard let started else {
            throw HTTPServerError.cannotStart(host: configuration.host, port: configuration.port,
                                              reason: reason.map { String(cString: $0) } ?? "unknown reason")
        }
        server = started
        port = curio_http_bound_port(started)
    }

    deinit {
        if let server { curio_http_stop(server) }
    }

    /// Requests being processed or whose response is still being sent.
    public var requestsInFlight: Int { core.requestsInFlight }

    /// Whether the server is still running.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return server != nil
    }

    /// Stops gracefully: stops accepting connections, lets in-flight requests finish (up to `gracePeriod`
    /// seconds), then stops the worker threads and closes every connection. Safe to call twice.
    ///
    /// - Returns: the number of requests still in flight when the grace period ran out (0 normally).
    @discardableResult
    public func shutdown(gracePeriod: TimeInterval = 10) -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard let running = server else { return 0 }
        core.startDraining()
        _ = curio_http_quiesce(running)
        let deadline = Date().addingTimeInterval(gracePeriod)
        while core.requestsInFlight > 0, Date() < deadline {
            usleep(5_000)
        }
        let left = core.requestsInFlight
        let stopping = Date()
        curio_http_stop(running)
        core.logger.debug("worker threads stopped in \(Int(Date().timeIntervalSince(stopping) * 1000)) ms")
        server = nil
        withExtendedLifetime(core) {}
        return left
    }
}
