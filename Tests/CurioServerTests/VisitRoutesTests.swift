import CurioCore
import CurioKit
@testable import CurioServer
import Foundation
import Testing

/// Tours, progress, next exhibit and conversations over HTTP against a real server on a random port.
@Suite struct VisitRoutesTests {
    /// Three rooms for the HTTP fixture's works; no opening hours (always open).
    static let venue = """
        {"id": "mini", "name": "Mini Gallery", "timezone": "UTC",
         "floors": [{"id": "G", "name": "Ground", "level": 0}],
         "rooms": [
           {"id": "hall", "name": "Hall", "floor": "G", "adjacent": [{"room": "sea", "seconds": 20}, {"room": "studio", "seconds": 30}]},
           {"id": "sea", "name": "Sea Room", "floor": "G"},
           {"id": "studio", "name": "Studio", "floor": "G"}
         ],
         "entrances": ["hall"],
         "placements": [{"item": "N00001", "room": "sea"}, {"item": "N00003", "room": "sea"},
                        {"item": "N00002", "room": "studio"}, {"item": "P00004", "room": "studio"}]}
        """

    static func server() throws -> TestServer {
        let server = try TestServer()
        try VisitService(curio: server.curio).importVenue(Data(venue.utf8), file: "mini.json")
        return server
    }

    static let morning = "2025-06-03T11:00:00Z"

    @Test func tourIsPlannedKeptAndReplannedAfterProgress() throws {
        let server = try Self.server()
        let response = try server.client.get("/v1/tours?minutes=10&interests=sea&start_time=\(Self.morning)")
        #expect(response.status == 200, "\(response.text)")
        let tour = response.object
        let id = try #require(tour["id"] as? String)
        #expect(response.header("Location") == "/v1/tours/\(id)")
        let stops = try #require(tour["stops"] as? [[String: Any]])
        let items = stops.compactMap { $0["item"] as? String }
        #expect(Set(["N00001", "N00003"]).isSubset(of: Set(items)))
        #expect(stops.allSatisfy { ["Sea Room", "Studio"].contains($0["room_name"] as? String ?? "") })
        #expect(tour["revision"] as? Int == 0)

        let kept = try server.client.get("/v1/tours/\(id)")
        #expect(kept.status == 200)
        #expect(kept.object["id"] as? String == id)

        let body = #"{"visited": "\#(items[0])", "skipped": ["\#(items[1])"], "lingered_seconds": 30}"#
        let unauthorized = try server.client.postJSON("/v1/tours/\(id)/progress", body)
        #expect(unauthorized.status == 401)
        let progress = try server.client.postJSON("/v1/tours/\(id)/progress", body, headers: server.authorization)
        #expect(progress.status == 200, "\(progress.text)")
        #expect(progress.object["revision"] as? Int == 1)
        #expect(progress.object["visited"] as? [String] == [items[0]])
        #expect(progress.object["skipped"] as? [String] == [items[1]])
        let remaining = (progress.object["stops"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(!remaining.contains(items[0]) && !remaining.contains(items[1]))
    }

    @Test func impossibleAndInvalidTourRequestsAreExplained() throws {
        let server = try Self.server()
        let tooShort = try server.client.get("/v1/tours?minutes=1&end=studio&start_time=\(Self.morning)&interests=sea")
        #expect(tooShort.status == 422, "\(tooShort.text)")
        #expect(tooShort.object["type"] as? String == "/v1/problems/tour-infeasible")
        #expect((tooShort.object["detail"] as? String)?.isEmpty == false)

        let bad = try server.client.get("/v1/tours?minutes=0&start=attic&step_free=maybe")
        #expect(bad.status == 400)
        let parameters = Set((bad.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["parameter"] as? String })
        #expect(parameters == ["minutes", "start", "step_free"])

        let missing = try server.client.get("/v1/tours?interests=sea")
        #expect(missing.status == 400)
        #expect(try server.client.get("/v1/tours/nope").object["type"] as? String == "/v1/problems/tour-not-found")
        let wrongBody = try server.client.postJSON("/v1/tours/nope/progress", #"{"visted": ["N00001"]}"#, headers: server.authorization)
        #expect(wrongBody.status == 422)
        #expect((wrongBody.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "#/visted")
    }

    @Test func withoutAVenueToursAnswer404() throws {
        let server = try TestServer()
        let response = try server.client.get("/v1/tours?minutes=30")
        #expect(response.status == 404)
        #expect(response.object["type"] as? String == "/v1/problems/venue-not-found")
    }

    @Test func nextExhibitSuggestsWorksOnDisplayNotYetSeen() throws {
        let server = try Self.server()
        let now = Date()
        _ = try server.curio.recordEvents([
            Event(visitor: "v1", item: "N00001", kind: .view, timestamp: now.addingTimeInterval(-120)),
        ])
        let response = try server.client.get("/v1/visitors/v1/next?room=sea&k=3")
        #expect(response.status == 200, "\(response.text)")
        #expect(response.object["room"] as? String == "sea")
        #expect(response.object["room_source"] as? String == "explicit")
        let suggested = (response.object["suggestions"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(!suggested.isEmpty)
        #expect(!suggested.contains("N00001"))
        #expect(Set(suggested).isSubset(of: ["N00002", "N00003", "P00004"]))
        let badRoom = try server.client.get("/v1/visitors/v1/next?room=Sea")
        #expect(badRoom.status == 400)
        #expect((badRoom.object["errors"] as? [[String: Any]])?.first?["parameter"] as? String == "room")
    }

    @Test func conversationsAnswerAndSurviveANewServerOnTheSameDatabase() throws {
        let server = try Self.server()
        let created = try server.client.postJSON("/v1/conversations", "{}", headers: server.authorization)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(created.header("Location") == "/v1/conversations/\(id)")

        let reply = try server.client.postJSON("/v1/conversations/\(id)/messages", #"{"text": "stormy sea"}"#,
                                               headers: server.authorization)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.object["conversation"] as? String == id)
        let items = (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(items.first == "N00001")
        #expect((reply.object["tool_calls"] as? [String])?.isEmpty == false)

        // A second server over the same database file (as after a restart) continues the conversation.
        let reopened = try Curio.open(at: server.folder.appendingPathComponent("curio.db").path)
        let second = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, threads: 2),
                                    handler: CurioAPI(curio: reopened, keys: .required(key: TestServer.apiKey)).router)
        defer { second.shutdown(gracePeriod: 2) }
        let client = RawHTTPClient(port: second.port)
        let state = try client.get("/v1/conversations/\(id)")
        #expect(state.status == 200)
        #expect(state.object["turns"] as? Int == 1)
        #expect(state.object["last_list"] as? [String] == items)
        let why = try client.postJSON("/v1/conversations/\(id)/messages", #"{"text": "why the first one?"}"#,
                                      headers: server.authorization)
        #expect(why.status == 200)
        #expect(why.object["intent"] as? String == "explain")
        #expect(((why.object["items"] as? [[String: Any]])?.first?["id"] as? String) == items.first)
    }

    @Test func badMessagesGetProblems() throws {
        let server = try Self.server()
        let id = try #require(try server.client.postJSON("/v1/conversations", "", headers: server.authorization).object["id"] as? String)
        let unknown = try server.client.postJSON("/v1/conversations/c-nope/messages", #"{"text": "hi"}"#, headers: server.authorization)
        #expect(unknown.status == 404)
        #expect(unknown.object["type"] as? String == "/v1/problems/conversation-not-found")
        let empty = try server.client.postJSON("/v1/conversations/\(id)/messages", #"{"text": " ", "colour": 3}"#, headers: server.authorization)
        #expect(empty.status == 422)
        let photo = server.folder.appendingPathComponent("photo.jpg")
        try Data([0xFF, 0xD8, 0xFF]).write(to: photo)
        let image = try server.client.postJSON("/v1/conversations/\(id)/messages", #"{"image": "\#(photo.path)"}"#,
                                               headers: server.authorization)
        #expect(image.status == 422)
        #expect(image.object["type"] as? String == "/v1/problems/image-search-unavailable")
        let noFile = try server.client.postJSON("/v1/conversations/\(id)/messages", #"{"image": "/no/such/photo.jpg"}"#,
                                                headers: server.authorization)
        #expect(noFile.status == 422)
        #expect((noFile.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "#/image")
    }
}
