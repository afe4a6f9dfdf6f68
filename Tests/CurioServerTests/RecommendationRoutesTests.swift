import CurioCore
import CurioKit
@testable import CurioServer
import CurioStore
import Foundation
import Testing

/// The recommendation routes against a real server: explained lists, fold-in of posted events, policies (with
/// rejection that leaves the active version in force) and exposure metrics.
@Suite struct RecommendationRoutesTests {
    /// A test server whose collection has 60 more works (6 makers, 3 subjects) and a trained item-kNN model.
    static func server() throws -> TestServer {
        let server = try TestServer()
        let makers = (0..<6).map { Agent(id: AgentID("r:a:\($0)"), name: "Maker \($0)", gender: $0 < 2 ? "Female" : "Male") }
        let items = (0..<60).map { i in
            Item(id: ItemID(String(format: "R%03d", i)), source: "test", title: "Work \(i)",
                 makers: [MakerCredit(agent: makers[i % 6].id, name: makers[i % 6].name)],
                 date: DateRange(text: "\(1900 + i % 4 * 10)", startYear: 1900 + i % 4 * 10, endYear: 1900 + i % 4 * 10),
                 subjects: [["t:s:sea", "t:s:storm", "t:s:old-man"][i % 3]])
        }
        _ = try server.curio.store.write(RecordBatch(items: items, agents: makers))
        _ = try server.curio.simulate(SimulationOptions(visitors: 120, seed: 5, days: 30, end: Date(timeIntervalSince1970: 1_700_000_000)))
        _ = try server.curio.train(TrainingOptions(model: "itemknn", seed: 1))
        try server.curio.recommendations().refreshInterval = 0
        return server
    }

    static func ids(_ response: RawResponse) -> [String] {
        ((response.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test func recommendationsCarryEvidenceAndFoldInAPostedLike() throws {
        let server = try Self.server()
        let likes = (0..<3).map { #"{"visitor": "v-http", "item": "R\#(String(format: "%03d", $0 * 6))", "kind": "like", "timestamp": "2024-05-01T10:0\#($0):00Z"}"# }
        #expect(try server.client.postJSON("/v1/events", "[\(likes.joined(separator: ","))]", headers: server.authorization).status == 200)
        let first = try server.client.get("/v1/visitors/v-http/recommendations?k=8&policy=none")
        #expect(first.status == 200, "\(first.text)")
        #expect(first.object["strategy"] as? String == "model")
        #expect(first.object["model"] as? String == "itemknn")
        let items = try #require(first.object["items"] as? [[String: Any]])
        #expect(items.count == 8)
        for item in items {
            let because = try #require(item["because"] as? [[String: Any]])
            #expect(!because.isEmpty)
            #expect(because.allSatisfy { ["R000", "R006", "R012"].contains($0["item"] as? String ?? "") })
            #expect((item["explanation"] as? String)?.hasPrefix("Because you liked *Work ") == true)
            #expect(item["title"] is String && item["makers"] is [String] && item["score"] is Double)
        }
        // A like posted now changes the next list, with no retraining.
        let more = (1...4).map { #"{"visitor": "v-http", "item": "R\#(String(format: "%03d", $0 * 6 + 3))", "kind": "like", "timestamp": "2024-05-02T10:0\#($0):00Z"}"# }
        #expect(try server.client.postJSON("/v1/events", "[\(more.joined(separator: ","))]", headers: server.authorization).status == 200)
        let second = try server.client.get("/v1/visitors/v-http/recommendations?k=8&policy=none")
        #expect(second.object["history_items"] as? Int == 7)
        #expect(Self.ids(first) != Self.ids(second))
        #expect(!Self.ids(second).contains("R009"))
    }

    @Test func newcomersAndFiltersAndBadParameters() throws {
        let server = try Self.server()
        let fresh = try server.client.get("/v1/visitors/nobody/recommendations?k=3")
        #expect(fresh.status == 200)
        #expect(fresh.object["strategy"] as? String == "popular")
        #expect(fresh.object["policy"] as? String == "default")
        let filtered = try server.client.get("/v1/visitors/nobody/recommendations?k=5&policy=none&maker=Maker%203")
        let makers = ((filtered.object["items"] as? [[String: Any]]) ?? []).map { $0["makers"] as? [String] ?? [] }
        #expect(!makers.isEmpty && makers.allSatisfy { $0 == ["Maker 3"] })
        let bad = try server.client.get("/v1/visitors/v/recommendations?k=0&policy=nope&exclude_seen=maybe")
        #expect(bad.status == 400)
        let parameters = Set(((bad.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["parameter"] as? String })
        #expect(parameters == ["k", "exclude_seen"])
        let policy = try server.client.get("/v1/visitors/v/recommendations?policy=nope")
        #expect(policy.status == 400)
        #expect(((policy.object["errors"] as? [[String: Any]])?.first?["parameter"] as? String) == "policy")
    }

    @Test func similarObjectsAreExplainedAndUnknownOnesAre404() throws {
        let server = try Self.server()
        let similar = try server.client.get("/v1/items/R001/similar?k=4&modality=fused")
        #expect(similar.status == 200, "\(similar.text)")
        let items = try #require(similar.object["items"] as? [[String: Any]])
        #expect(!items.isEmpty && items.count <= 4)
        #expect(items.allSatisfy { ($0["because"] as? [[String: Any]])?.first?["item"] as? String == "R001" })
        #expect(try server.client.get("/v1/items/NOPE/similar").status == 404)
        #expect(try server.client.get("/v1/items/R001/similar?modality=smell").status == 400)
    }

    @Test func policiesArePutValidatedAndRejectedWithoutChangingTheActiveOne() throws {
        let server = try Self.server()
        let listed = try server.client.get("/v1/policies")
        #expect((listed.object["policies"] as? [[String: Any]])?.first?["built_in"] as? Bool == true)
        let good = #"{"max_per_maker": 1, "note": "one each"}"#
        let put = try server.client.request("PUT", "/v1/policies/default", headers: [("Content-Type", "application/json")] + server.authorization,
                                            body: Data(good.utf8))
        #expect(put.status == 200, "\(put.text)")
        #expect(put.object["version"] as? Int == 1)
        let bad = #"{"max_per_maker": 1, "exposure": {"attribute": "maker_gender", "targets": {"Female": {"min": 0.7}, "Male": {"min": 0.5}}}}"#
        let rejected = try server.client.request("PUT", "/v1/policies/default", headers: [("Content-Type", "application/json")] + server.authorization,
                                                 body: Data(bad.utf8))
        #expect(rejected.status == 422)
        #expect(rejected.header("Content-Type") == "application/problem+json")
        #expect(((rejected.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String) == "#/exposure/targets")
        let unknownField = try server.client.request("PUT", "/v1/policies/default", headers: [("Content-Type", "application/json")] + server.authorization,
                                                     body: Data(#"{"rules": [{"type": "pin", "item": "R001", "slot": 0}]}"#.utf8))
        #expect(unknownField.status == 422)
        #expect(((unknownField.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String)?.hasPrefix("#/rules/0") == true)
        let active = try server.client.get("/v1/policies/default")
        #expect(active.object["version"] as? Int == 1)
        #expect((active.object["document"] as? [String: Any])?["max_per_maker"] as? Int == 1)
        // The new version applies to the next request: one work per maker.
        let list = try server.client.get("/v1/visitors/nobody/recommendations?k=6")
        let makers = ((list.object["items"] as? [[String: Any]]) ?? []).map { ($0["makers"] as? [String])?.first ?? "" }
        #expect(Set(makers).count == makers.count, "\(makers)")
        #expect(try server.client.request("PUT", "/v1/policies/x", headers: [("Content-Type", "application/json")], body: Data(good.utf8)).status == 401)
        #expect(try server.client.get("/v1/policies/missing").status == 404)
    }

    @Test func exposureMetricsCountServedLists() throws {
        let server = try Self.server()
        for visitor in ["a", "b", "c"] {
            #expect(try server.client.get("/v1/visitors/\(visitor)/recommendations?k=5").status == 200)
        }
        #expect(try server.client.get("/v1/visitors/d/recommendations?k=5&policy=none").status == 200)
        let metrics = try server.client.get("/v1/metrics/exposure")
        #expect(metrics.status == 200)
        #expect(metrics.object["requests"] as? Int == 3)
        let groups = try #require(metrics.object["groups"] as? [[String: Any]])
        let female = try #require(groups.first { $0["attribute"] as? String == "maker_gender" && $0["value"] as? String == "Female" })
        #expect(female["target_min"] as? Double == 0.25)
        #expect(female["within_target"] is Bool)
    }
}
