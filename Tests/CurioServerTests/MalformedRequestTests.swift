import CurioCore
@testable import CurioServer
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile and broken requests sent over raw sockets: each gets a 4xx (or the connection is closed) and the
/// server keeps answering.
@Suite struct MalformedRequestTests {
    /// Which answers are acceptable for a malformed request.
    enum Outcome: Sendable, CustomStringConvertible {
        case clientError
        /// libmicrohttpd is lenient with some deviations and serves them.
        case clientErrorOrServed
        case exactly(Int)

        func allows(_ status: Int) -> Bool {
            switch self {
            case .clientError: (400..<500).contains(status)
            case .clientErrorOrServed: (400..<500).contains(status) || status == 200
            case let .exactly(code): status == code
            }
        }

        var description: String {
            switch self {
            case .clientError: "4xx"
            case .clientErrorOrServed: "4xx or 200"
            case let .exactly(code): "\(code)"
            }
        }
    }

    static let malformed: [(String, Outcome)] = [
        ("GARBAGE\r\n\r\n", .clientError),
        ("GET\r\n\r\n", .clientError),
        ("GET /health HTTP/9.9\r\nHost: x\r\n\r\n", .exactly(505)),                    // HTTP Version Not Supported
        ("GET /health HTTP/1.1\r\n\r\n", .clientErrorOrServed),             // HTTP/1.1 without Host: MHD is lenient
        ("GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n", .clientErrorOrServed),
        ("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", .clientError),
        ("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", .clientError),
        ("POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n", .clientError),
        ("\u{0}\u{1}\u{2}\u{3}\r\n\r\n", .clientError),
    ]

    @Test(arguments: malformed)
    func malformedRequestsAreRefusedAndTheServerSurvives(raw: String, allowed: Outcome) throws {
        let server = try TestServer()
        var client = server.client
        // libmicrohttpd holds some garbage connections open until its idle timeout: don't wait for that.
        client.timeoutSeconds = 2
        if let response = try? client.exchange(raw, halfClose: true) {
            #expect(allowed.allows(response.status), "\(raw.debugDescription) → \(response.status)")
        }
        // Whatever happened to that connection, the server still serves.
        let health = try client.get("/health")
        #expect(health.status == 200)
    }

    @Test func hugeHeaderIsRefusedAndTheServerSurvives() throws {
        let server = try TestServer()
        let value = String(repeating: "a", count: 200_000)
        let response = try? server.client.exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(value)\r\n\r\n")
        if let response { #expect((400..<500).contains(response.status)) }
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func hugeRequestLineIsRefusedAndTheServerSurvives() throws {
        let server = try TestServer()
        let path = "/v1/items/" + String(repeating: "x", count: 100_000)
        let response = try? server.client.exchange("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        if let response { #expect((400..<500).contains(response.status)) }
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func manyHeadersAreRefusedOrServed() throws {
        let server = try TestServer()
        var raw = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        for i in 0..<5000 { raw += "X-H\(i): v\r\n" }
        raw += "\r\n"
        if let response = try? server.client.exchange(raw) {
            #expect(response.status == 200 || (400..<500).contains(response.status))
        }
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func truncatedBodyDoesNotHangOrStoreAnything() throws {
        let server = try TestServer()
        let client = server.client
        let fd = try client.connect()
        let head = "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \(TestServer.apiKey)\r\nContent-Length: 500\r\n\r\n"
        RawHTTPClient.send(fd, Data((head + #"[{"visitor": "v", "item": "N00001", "kind": "view"}"#).utf8))
        close(fd)  // the client gives up half-way
        #expect(try client.get("/health").status == 200)
        #expect(try server.curio.stats().events == 0)
        // libmicrohttpd notices the closed connection and ends the request (no lingering in-flight request).
        let deadline = Date().addingTimeInterval(3)
        while server.server.requestsInFlight > 0, Date() < deadline { usleep(10_000) }
        #expect(server.server.requestsInFlight == 0)
    }

    @Test func bytesThatAreNotUTF8InPathAndHeadersAreHandled() throws {
        let server = try TestServer()
        var raw = Data("GET /v1/items/".utf8)
        raw.append(contentsOf: [0xFF, 0xFE, 0xC3])
        raw.append(Data(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Odd: ".utf8))
        raw.append(contentsOf: [0xC0, 0x80])
        raw.append(Data("\r\n\r\n".utf8))
        if let response = try? server.client.exchange(raw) {
            #expect(response.status == 404 || response.status == 400)
        }
        let encoded = try server.client.get("/v1/items/%FF%FE")
        #expect(encoded.status == 404)
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func pipelinedRequestsAreAllAnswered() throws {
        let server = try TestServer()
        let raw = "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/items/N00001 HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let fd = try server.client.connect()
        defer { close(fd) }
        RawHTTPClient.send(fd, Data(raw.utf8))
        let text = String(decoding: RawHTTPClient.readAll(fd), as: UTF8.self)
        // Bodies are not newline-terminated, so find each status line by its prefix.
        let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(statuses == ["200", "200", "404"])
    }

    @Test func concurrentClientsAllGetCorrectAnswers() throws {
        let server = try TestServer(threads: 4)
        let port = server.server.port
        let ids = Fixture.items.map(\.id.rawValue)
        let failures = FailureCounter()
        // Real threads, not tasks: the clients block on sockets.
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            let client = RawHTTPClient(port: port)
            for i in 0..<40 {
                let id = ids[(worker + i) % ids.count]
                guard let response = try? client.get("/v1/items/\(id)"),
                      response.status == 200, response.object["id"] as? String == id else {
                    failures.add()
                    continue
                }
            }
        }
        #expect(failures.count == 0)
    }
}

final class FailureCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
