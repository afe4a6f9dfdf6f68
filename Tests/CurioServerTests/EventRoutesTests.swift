import CurioCore
@testable import CurioServer
import Foundation
import Testing

/// POST /v1/events: authentication, validation with JSON Pointers, transactional appends.
@Suite struct EventRoutesTests {
    static let twoEvents = """
        [{"visitor": "v1", "item": "N00001", "kind": "view", "timestamp": "2024-05-01T10:00:00Z"},
         {"visitor": "v1", "item": "N00002", "kind": "rate", "value": 4, "timestamp": "2024-05-01T10:05:00.250Z",
          "session": "s1", "room": "r3", "device": "app"}]
        """

    @Test func acceptedBatchIsStoredAndDuplicatesAreCounted() throws {
        let server = try TestServer()
        let first = try server.client.postJSON("/v1/events", Self.twoEvents, headers: server.authorization)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.object["received"] as? Int == 2)
        #expect(first.object["appended"] as? Int == 2)
        #expect(first.object["duplicates"] as? Int == 0)
        let again = try server.client.postJSON("/v1/events", Self.twoEvents, headers: server.authorization)
        #expect(again.object["appended"] as? Int == 0)
        #expect(again.object["duplicates"] as? Int == 2)
        let stored = try server.curio.store.events(visitor: "v1")
        #expect(stored.count == 2)
        #expect(stored.last?.kind == .rate)
        #expect(stored.last?.value == 4)
        #expect(stored.last?.room == "r3")
    }

    @Test func objectFormAndXAPIKeyAndEpochTimestampsAreAccepted() throws {
        let server = try TestServer()
        let body = #"{"events": [{"visitor": "v2", "item": "N00003", "kind": "dwell", "value": 30.5, "timestamp": 1714557600}]}"#
        let response = try server.client.postJSON("/v1/events", body, headers: [("X-API-Key", TestServer.apiKey)])
        #expect(response.status == 200, "\(response.text)")
        let stored = try server.curio.store.events(visitor: "v2")
        #expect(stored.first?.timestamp == Date(timeIntervalSince1970: 1_714_557_600))
    }

    @Test func missingTimestampDefaultsToReceiptTime() throws {
        let server = try TestServer()
        let before = Date().addingTimeInterval(-1)
        let response = try server.client.postJSON("/v1/events", #"[{"visitor": "v3", "item": "N00001", "kind": "like"}]"#,
                                                  headers: server.authorization)
        #expect(response.status == 200)
        let stored = try #require(try server.curio.store.events(visitor: "v3").first)
        #expect(stored.timestamp >= before && stored.timestamp <= Date().addingTimeInterval(1))
    }

    @Test func missingKeyIs401WithChallenge() throws {
        let server = try TestServer()
        let response = try server.client.postJSON("/v1/events", Self.twoEvents)
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(response.object["type"] as? String == "/v1/problems/unauthorized")
        #expect(try server.curio.stats().events == 0)
    }

    @Test(arguments: [
        [("Authorization", "Bearer wrong-key")],
        [("Authorization", "Bearer \(TestServer.apiKey)x")],
        [("Authorization", "Basic \(TestServer.apiKey)")],
        [("X-API-Key", String(TestServer.apiKey.dropLast()))],
        [("Authorization", "Bearer")],
    ])
    func wrongKeyIs401AndStoresNothing(headers: [(String, String)]) throws {
        let server = try TestServer()
        let response = try server.client.postJSON("/v1/events", Self.twoEvents, headers: headers)
        #expect(response.status == 401)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(try server.curio.stats().events == 0)
    }

    @Test func writesAreRefusedWith503WhenNoKeyIsConfigured() throws {
        let server = try TestServer(keys: .writesDisabled)
        let response = try server.client.postJSON("/v1/events", Self.twoEvents, headers: server.authorization)
        #expect(response.status == 503)
        #expect(response.object["type"] as? String == "/v1/problems/writes-disabled")
        #expect((response.object["detail"] as? String)?.contains("CURIO_API_KEY") == true)
        // Reads still work.
        #expect(try server.client.get("/v1/items/N00001").status == 200)
    }

    @Test func unauthenticatedWritesWorkWhenExplicitlyAllowed() throws {
        let server = try TestServer(keys: .unauthenticatedWrites)
        let response = try server.client.postJSON("/v1/events", Self.twoEvents)
        #expect(response.status == 200)
    }

    @Test func policyComesFromTheEnvironment() {
        if case let .required(key) = APIKeyPolicy.from(environment: ["CURIO_API_KEY": " abc \n"], allowUnauthenticated: true) {
            #expect(key == "abc")
        } else {
            Issue.record("a configured key must be required")
        }
        if case .writesDisabled = APIKeyPolicy.from(environment: ["CURIO_API_KEY": ""], allowUnauthenticated: false) {} else {
            Issue.record("an empty key must disable writes")
        }
        if case .unauthenticatedWrites = APIKeyPolicy.from(environment: [:], allowUnauthenticated: true) {} else {
            Issue.record("the demo flag must open writes when no key is set")
        }
    }

    @Test func keyComparisonIsExact() {
        #expect(APIKeyPolicy.constantTimeEquals("abc", "abc"))
        #expect(!APIKeyPolicy.constantTimeEquals("abc", "abd"))
        #expect(!APIKeyPolicy.constantTimeEquals("abc", "abcd"))
        #expect(!APIKeyPolicy.constantTimeEquals("", "a"))
        #expect(!APIKeyPolicy.constantTimeEquals(String(repeating: "a", count: 256), String(repeating: "a", count: 0)))
        #expect(APIKeyPolicy.constantTimeEquals("", ""))
    }

    @Test(arguments: [
        (#"[{"visitor": "v" "item": "N00001", "kind": "view"}]"#, "missing comma"),
        (#"[{"visitor": 'v', "item": "N00001", "kind": "view"}]"#, "single quotes"),
        (#"[{"visitor": "v""#, "truncated"),
        ("not json at all", "text"),
        ("", "empty"),
        (String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), "deeply nested"),
        ("\u{FEFF}\u{0}\u{1}", "control bytes"),
    ])
    func malformedJSONIs400(body: String, label: String) throws {
        let server = try TestServer()
        let response = try server.client.postJSON("/v1/events", body, headers: server.authorization)
        #expect(response.status == 400, "\(label): \(response.text)")
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.object["type"] as? String == "/v1/problems/malformed-json")
        #expect(try server.client.get("/health").status == 200)
    }

    @Test(arguments: [
        (#"[{"visitor": 7, "item": "N00001", "kind": "view"}]"#, ["#/0/visitor"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "glance"}]"#, ["#/0/kind"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "rate", "value": "5"}]"#, ["#/0/value"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "rate", "value": 7}]"#, ["#/0/value"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "rate"}]"#, ["#/0/value"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "dwell", "value": -3}]"#, ["#/0/value"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "view", "timestamp": "yesterday"}]"#, ["#/0/timestamp"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "view", "timestamp": "2999-01-01T00:00:00Z"}]"#, ["#/0/timestamp"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "view", "timestamp": true}]"#, ["#/0/timestamp"]),
        (#"[{"visitor": "", "item": "N00001", "kind": "view"}]"#, ["#/0/visitor"]),
        (#"[{"item": "N00001", "kind": "view", "sesion": "x"}]"#, ["#/0/sesion", "#/0/visitor"]),
        (#"[{"visitor": "v", "item": "N00001", "kind": "view"}, 42, {"visitor": "v", "kind": "like"}]"#, ["#/1", "#/2/item"]),
        (#"{"events": [{"visitor": "v", "item": "N00001", "kind": ["view"]}]}"#, ["#/events/0/kind"]),
        (#"{"events": {"visitor": "v"}}"#, ["#/events"]),
        (#"{"evnts": []}"#, ["#/events"]),
        (#"{"events": [], "extra": 1}"#, ["#/extra"]),
        ("[]", ["#"]),
        ("42", ["#"]),
        (#""a string""#, ["#"]),
    ])
    func wrongTypesAndImpossibleValuesAre422WithPointers(body: String, pointers: [String]) throws {
        let server = try TestServer()
        let response = try server.client.postJSON("/v1/events", body, headers: server.authorization)
        #expect(response.status == 422, "\(body): \(response.text)")
        #expect(response.object["type"] as? String == "/v1/problems/validation-failed")
        let errors = try #require(response.object["errors"] as? [[String: Any]])
        #expect(errors.compactMap { $0["pointer"] as? String }.sorted() == pointers, "\(response.text)")
        #expect(try server.curio.stats().events == 0)
    }

    @Test func eventsForUnknownItemsAre422AndNothingIsStored() throws {
        let server = try TestServer()
        let body = """
            [{"visitor": "v", "item": "N00001", "kind": "view"},
             {"visitor": "v", "item": "GHOST-1", "kind": "view"},
             {"visitor": "w", "item": "GHOST-2", "kind": "like"}]
            """
        let response = try server.client.postJSON("/v1/events", body, headers: server.authorization)
        #expect(response.status == 422)
        #expect(response.object["type"] as? String == "/v1/problems/unknown-items")
        let errors = try #require(response.object["errors"] as? [[String: Any]])
        #expect(errors.compactMap { $0["pointer"] as? String } == ["#/1/item", "#/2/item"])
        #expect((errors.first?["detail"] as? String)?.contains("GHOST-1") == true)
        #expect(try server.curio.stats().events == 0)
    }

    @Test func wrongContentTypeIs415() throws {
        let server = try TestServer()
        let response = try server.client.request("POST", "/v1/events",
                                                 headers: server.authorization + [("Content-Type", "text/plain")],
                                                 body: Data(Self.twoEvents.utf8))
        #expect(response.status == 415)
        #expect(response.object["type"] as? String == "/v1/problems/unsupported-media-type")
        let missing = try server.client.request("POST", "/v1/events", headers: server.authorization, body: Data(Self.twoEvents.utf8))
        #expect(missing.status == 415)
        let charset = try server.client.request("POST", "/v1/events",
                                                headers: server.authorization + [("Content-Type", "application/json; charset=utf-8")],
                                                body: Data(Self.twoEvents.utf8))
        #expect(charset.status == 200)
    }

    @Test func bodyOverTheLimitIs413BeforeItIsRead() throws {
        let server = try TestServer(maxBodyBytes: 4096)
        let big = "[" + Array(repeating: #"{"visitor": "v", "item": "N00001", "kind": "view"}"#, count: 200).joined(separator: ",") + "]"
        let response = try server.client.postJSON("/v1/events", big, headers: server.authorization)
        #expect(response.status == 413)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.object["type"] as? String == "/v1/problems/payload-too-large")
        #expect(try server.curio.stats().events == 0)
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func hugeDeclaredBodyIsRefusedWithoutSendingIt() throws {
        let server = try TestServer()
        let raw = "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n"
            + "Authorization: Bearer \(TestServer.apiKey)\r\n\r\n[{"
        let response = try server.client.exchange(raw)
        #expect(response.status == 413)
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func chunkedBodyOverTheLimitIs413() throws {
        let server = try TestServer(maxBodyBytes: 4096)
        var raw = "POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer \(TestServer.apiKey)\r\nTransfer-Encoding: chunked\r\n\r\n"
        let chunk = String(repeating: " ", count: 1000)
        for _ in 0..<10 { raw += String(1000, radix: 16) + "\r\n" + chunk + "\r\n" }
        raw += "0\r\n\r\n"
        let response = try server.client.exchange(raw)
        #expect(response.status == 413)
        #expect(try server.client.get("/health").status == 200)
    }

    @Test func chunkedBodyWithinTheLimitIsAccepted() throws {
        let server = try TestServer()
        let body = Array(Self.twoEvents.utf8)
        let half = body.count / 2
        var raw = Data("POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: Bearer \(TestServer.apiKey)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for part in [body[..<half], body[half...]] {
            raw.append(Data((String(part.count, radix: 16) + "\r\n").utf8))
            raw.append(Data(part))
            raw.append(Data("\r\n".utf8))
        }
        raw.append(Data("0\r\n\r\n".utf8))
        let response = try server.client.exchange(raw)
        #expect(response.status == 200, "\(response.text)")
        #expect(response.object["appended"] as? Int == 2)
    }

    @Test func tooManyEventsAreRefused() throws {
        let server = try TestServer(maxBodyBytes: 4 << 20)
        let body = "[" + Array(repeating: #"{"visitor":"v","item":"N00001","kind":"view"}"#, count: EventPayload.maximumEvents + 1)
            .joined(separator: ",") + "]"
        let response = try server.client.postJSON("/v1/events", body, headers: server.authorization)
        #expect(response.status == 422)
        #expect((response.object["detail"] as? String)?.contains("\(EventPayload.maximumEvents)") == true)
    }
}
