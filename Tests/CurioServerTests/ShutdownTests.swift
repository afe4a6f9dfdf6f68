import CurioCore
@testable import CurioServer
import Foundation
import Testing

/// Graceful shutdown: in-flight requests finish, new connections are refused.
@Suite struct ShutdownTests {
    @Test func inFlightRequestFinishesAndNewConnectionsAreRefused() throws {
        var router = Router()
        router.add(Route("GET", "/slow", operationID: "slow") { _ in
            Thread.sleep(forTimeInterval: 0.5)
            return HTTPResponse.json(Data(#"{"done":true}"#.utf8))
        })
        let server = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, threads: 2), handler: router)
        let port = server.port
        let slow = SlowRequest(port: port)
        // Wait until the slow request is being handled.
        let deadline = Date().addingTimeInterval(5)
        while server.requestsInFlight == 0, Date() < deadline { usleep(5_000) }
        #expect(server.requestsInFlight == 1)
        let left = server.shutdown(gracePeriod: 5)
        #expect(left == 0)
        #expect(!server.isRunning)
        let response = try #require(slow.wait())
        #expect(response.status == 200)
        #expect(response.object["done"] as? Bool == true)
        #expect(throws: RawHTTPError.self) { try RawHTTPClient(port: port, timeoutSeconds: 2).get("/slow") }
        // A second shutdown is harmless.
        #expect(server.shutdown() == 0)
    }

    @Test func portInUseIsAClearError() throws {
        let first = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, threads: 1), handler: Router())
        defer { first.shutdown() }
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(configuration: HTTPServerConfiguration(port: first.port, threads: 1), handler: Router())
        }
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(configuration: HTTPServerConfiguration(host: "not-an-address", port: 0, threads: 1), handler: Router())
        }
    }

    @Test func handlerErrorsBecome500ProblemsWithoutDetails() throws {
        struct Secret: Error {}
        var router = Router()
        router.add(Route("GET", "/boom", operationID: "boom") { _ in throw Secret() })
        let server = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, threads: 1), handler: router)
        defer { server.shutdown() }
        let response = try RawHTTPClient(port: server.port).get("/boom")
        #expect(response.status == 500)
        #expect(response.object["type"] as? String == "/v1/problems/internal-error")
        #expect(!response.text.contains("Secret"))
    }
}

/// A request made on its own thread (it blocks on the socket).
final class SlowRequest: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var response: RawResponse?

    init(port: UInt16) {
        Thread.detachNewThread { [self] in
            response = try? RawHTTPClient(port: port).get("/slow")
            done.signal()
        }
    }

    func wait() -> RawResponse? {
        done.wait()
        return response
    }
}

/// Configurations that cannot work are refused with a message instead of reaching libmicrohttpd.
@Suite struct ServerConfigurationTests {
    @Test(arguments: [
        HTTPServerConfiguration(port: 0, threads: 0),
        HTTPServerConfiguration(port: 0, threads: 1000),
        HTTPServerConfiguration(port: 0, maxBodyBytes: -1),
        HTTPServerConfiguration(port: 0, connectionLimit: -5),
        HTTPServerConfiguration(port: 0, connectionTimeoutSeconds: -1),
        HTTPServerConfiguration(port: 0, connectionMemoryBytes: 10),
    ])
    func impossibleConfigurationsAreRefused(configuration: HTTPServerConfiguration) {
        #expect(throws: HTTPServerError.self) { _ = try HTTPServer(configuration: configuration, handler: Router()) }
    }
}
