import CurioCore
import CurioKit
import CurioServer
import Foundation

/// `curio serve`: the HTTP API on libmicrohttpd, until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "serve",
        abstract: "Serve the HTTP API (JSON over /v1, OpenAPI at /v1/openapi.json).",
        discussion: """
            Writes (POST /v1/events) need the API key from the CURIO_API_KEY environment variable, sent as \
            'Authorization: Bearer <key>' or 'X-API-Key: <key>'. Without CURIO_API_KEY, writes are refused \
            with 503 unless --allow-unauthenticated-writes is given (only for demos on a private machine).
            SIGINT (Ctrl-C) or SIGTERM stops gracefully: no new connections, in-flight requests finish, \
            the database is closed, exit status 0.
            """,
        examples: [
            "curio serve",
            "CURIO_API_KEY=$(openssl rand -hex 24) curio serve --host 0.0.0.0 --port 8080 --threads 4",
            "curio serve --port 0 --json     # pick a free port and print it",
        ])

    @Option(valueName: "port", help: "TCP port; 0 picks a free port.")
    var port: UInt16 = 8080
    @Option(valueName: "address", help: "Address to listen on: 127.0.0.1 or localhost (this machine only), 0.0.0.0 (every interface), ::1 or ::.")
    var host: String = "127.0.0.1"
    @Option(valueName: "n", help: "Worker threads (default: four per processor core).")
    var threads: Int?
    @Option(valueName: "bytes", help: "Largest request body accepted; larger ones get 413.")
    var maxBodyBytes: Int = 1 << 20
    @Option(valueName: "seconds", help: "How long in-flight requests may take to finish after SIGINT/SIGTERM.")
    var shutdownGrace: Double = 10
    @Flag(help: "Accept writes without an API key when CURIO_API_KEY is unset. For local demos only.")
    var allowUnauthenticatedWrites = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let threads, !(1...256).contains(threads) { throw CLIError.usage("--threads must be between 1 and 256, got \(threads)") }
        if !(0...(1 << 30)).contains(maxBodyBytes) { throw CLIError.usage("--max-body-bytes must be between 0 and 1073741824") }
        if !(0...600).contains(shutdownGrace) { throw CLIError.usage("--shutdown-grace must be between 0 and 600 seconds") }
        if host.trimmingWhitespace().isEmpty { throw CLIError.usage("--host needs an address") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        // Signals are turned into dispatch events before any thread starts, so none of them is lost.
        let signals = ShutdownSignals([SIGINT, SIGTERM])
        signal(SIGPIPE, SIG_IGN)

        let logger = context.logger
        let keys = APIKeyPolicy.from(environment: context.environment, allowUnauthenticated: allowUnauthenticatedWrites)
        // Addresses are literals; the one name everybody types is accepted too.
        let address = host.lowercased() == "localhost" ? "127.0.0.1" : host
        var configuration = HTTPServerConfiguration(host: address, port: port, maxBodyBytes: maxBodyBytes)
        if let threads { configuration.threads = threads }

        let served = try serve(configuration: configuration, keys: keys, context: context, signals: signals)
        logger.info("stopped", metadata: ["requests_cut_off": "\(served)"])
        return .success
    }

    /// Runs the server until a signal arrives; returns how many requests were cut off by the grace period.
    private func serve(configuration: HTTPServerConfiguration, keys: APIKeyPolicy, context: CommandContext,
                       signals: ShutdownSignals) throws -> Int {
        let logger = context.logger
        let curio = try Curio.open(at: global.databasePath, readers: max(4, configuration.threads), logger: logger)
        let api = CurioAPI(curio: curio, keys: keys, logger: logger.labelled("curio.http"))
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, handler: api.router, logger: logger.labelled("curio.http"))
        } catch let error as HTTPServerError {
            throw ServeError.cannotListen(error.description)
        }
        let display = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let url = "http://\(display):\(server.port)"
        switch keys {
        case .required: logger.info("writes need the API key from CURIO_API_KEY")
        case .writesDisabled: logger.warning("CURIO_API_KEY is not set: POST /v1/events answers 503 (use --allow-unauthenticated-writes for a demo)")
        case .unauthenticatedWrites: logger.warning("writes are open to anyone who can reach \(url) (--allow-unauthenticated-writes)")
        }
        if global.json {
            try context.console.printJSON(ServeStarted(url: url, host: configuration.host, port: Int(server.port),
                                                       threads: configuration.threads, database: global.databasePath))
        } else {
            context.console.out("Serving \(global.databasePath) on \(url) with \(configuration.threads) threads (Ctrl-C to stop)\n")
        }
        let received = signals.wait()
        logger.info("received \(received == SIGTERM ? "SIGTERM" : "SIGINT"), shutting down",
                    metadata: ["in_flight": "\(server.requestsInFlight)"])
        signals.onRepeat {
            context.console.err("curio: second signal, exiting at once")
            exit(130)
        }
        let cutOff = server.shutdown(gracePeriod: shutdownGrace)
        // Let background warm-up finish so that nothing holds the store when it closes (the WAL is then removed).
        if api.background.wait(timeout: .now() + 120) == .timedOut {
            logger.warning("background work did not finish within 120 s; closing anyway")
        }
        curio.close()
        return cutOff
    }
}

/// Turns SIGINT/SIGTERM into a wait the main thread can block on.
final class ShutdownSignals: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]
    private let semaphore = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "curio.signals")
    private let lock = NSLock()
    private var received: Int32?
    private var repeatHandler: (@Sendable () -> Void)?

    init(_ numbers: [Int32]) {
        var sources: [DispatchSourceSignal] = []
        for number in numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (source, number) in zip(sources, numbers) {
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
        }
    }

    private func deliver(_ number: Int32) {
        lock.lock()
        if received == nil {
            received = number
            lock.unlock()
            semaphore.signal()
            return
        }
        let handler = repeatHandler
        lock.unlock()
        handler?()
    }

    /// Blocks until the first signal and returns its number.
    func wait() -> Int32 {
        semaphore.wait()
        lock.lock()
        defer { lock.unlock() }
        return received ?? SIGTERM
    }

    /// What to do if another signal arrives while shutting down.
    func onRepeat(_ handler: @escaping @Sendable () -> Void) {
        lock.lock()
        repeatHandler = handler
        lock.unlock()
    }
}

/// Failures of `curio serve` that are not the database's.
enum ServeError: Error, CustomStringConvertible, ExitStatusConvertible {
    case cannotListen(String)
    var description: String {
        switch self { case let .cannotListen(reason): reason }
    }
    var exitCode: ExitCode { .unavailable }
}

struct ServeStarted: Encodable {
    var url: String
    var host: String
    var port: Int
    var threads: Int
    var database: String
}
