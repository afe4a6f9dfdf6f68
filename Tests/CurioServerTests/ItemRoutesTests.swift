import CurioCore
import CurioStore
@testable import CurioServer
import Foundation
import Testing

/// GET routes against a real server and SQLite store.
@Suite struct ItemRoutesTests {
    @Test func healthReportsOkAndTheItemCount() throws {
        let server = try TestServer()
        let response = try server.client.get("/health")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.object["status"] as? String == "ok")
        #expect(response.object["items"] as? Int == Fixture.items.count)
        #expect(response.object["uptime_seconds"] is Int)
    }

    @Test func itemIsServedWithSnakeCaseKeysAndResolvedSubjectLabels() throws {
        let server = try TestServer()
        let response = try server.client.get("/v1/items/N00001")
        #expect(response.status == 200)
        let item = response.object
        #expect(item["id"] as? String == "N00001")
        #expect(item["title"] as? String == "Snow Storm at Sea")
        #expect(item["width_mm"] as? Double == 1219)
        #expect(item["credit_line"] as? String == "Accepted by the nation 1856")
        #expect(item["acquisition_year"] as? Int == 1856)
        #expect((item["alternate_titles"] as? [String: String])?["fr"] == "Tempête de neige en mer")
        let date = try #require(item["date"] as? [String: Any])
        #expect(date["start_year"] as? Int == 1837)
        #expect(date["is_circa"] as? Bool == true)
        let makers = try #require(item["makers"] as? [[String: Any]])
        #expect(makers.first?["agent_id"] as? String == "t:a:558")
        let subjects = try #require(item["subjects"] as? [[String: Any]])
        #expect(subjects.compactMap { $0["label"] as? String } == ["sea", "storm"])
        let movements = try #require(item["movements"] as? [[String: Any]])
        #expect(movements.first?["label"] as? String == "Romanticism")
        // No camelCase key leaks into the API.
        #expect(!response.text.contains("creditLine") && !response.text.contains("widthMM"))
    }

    @Test func changedItemIsNeverServedStale() throws {
        let server = try TestServer()
        #expect(try server.client.get("/v1/items/N00002").object["title"] as? String == "Old Man Reading by Candlelight")
        #expect(try server.client.get("/v1/items/N00002").object["title"] as? String == "Old Man Reading by Candlelight")
        var changed = Fixture.items[1]
        changed.title = "Old Man Reading (retitled)"
        _ = try server.curio.store.write(RecordBatch(items: [changed]))
        #expect(try server.client.get("/v1/items/N00002").object["title"] as? String == "Old Man Reading (retitled)")
    }

    @Test func unknownItemIsA404ProblemNamingTheItem() throws {
        let server = try TestServer()
        let response = try server.client.get("/v1/items/NOPE123")
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = response.object
        #expect(problem["type"] as? String == "/v1/problems/item-not-found")
        #expect(problem["title"] as? String == "Item not found")
        #expect(problem["status"] as? Int == 404)
        #expect((problem["detail"] as? String)?.contains("NOPE123") == true)
        #expect(problem["instance"] as? String == "/v1/items/NOPE123")
    }

    @Test func percentEncodedIdentifiersAreDecoded() throws {
        let server = try TestServer()
        #expect(try server.client.get("/v1/items/N%300001").status == 200)  // %30 is "0"
    }

    @Test func listFiltersByMakerDateAndSourceWithPaging() throws {
        let server = try TestServer()
        let client = server.client
        let all = try client.get("/v1/items")
        #expect(all.status == 200)
        #expect(all.object["total"] as? Int == 4)
        #expect(all.object["page"] as? Int == 1)
        #expect(all.object["page_size"] as? Int == 50)

        let turner = try client.get("/v1/items?maker=Turner")
        let turnerIDs = (turner.object["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(turnerIDs == ["N00001", "N00003"])

        let early = try client.get("/v1/items?from=1790&to=1810")
        let earlyIDs = (early.object["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(earlyIDs == ["N00002", "N00003"])

        let paintings = try client.get("/v1/items?source=paintings")
        #expect(paintings.object["total"] as? Int == 1)

        let page2 = try client.get("/v1/items?page=2&page_size=3")
        #expect(page2.object["page"] as? Int == 2)
        #expect(page2.object["pages"] as? Int == 2)
        #expect((page2.object["items"] as? [[String: Any]])?.count == 1)

        let sea = try client.get("/v1/items?subject=nature&medium=watercolour")
        let seaIDs = (sea.object["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(seaIDs == ["N00003"])

        let spaced = try client.get("/v1/items?maker=William+Blake")
        #expect(spaced.object["total"] as? Int == 1)
    }

    @Test(arguments: [
        ("/v1/items?page=0", ["page"]),
        ("/v1/items?page_size=1000", ["page_size"]),
        ("/v1/items?from=abc", ["from"]),
        ("/v1/items?from=1900&to=1800", ["from"]),
        ("/v1/items?pagesize=10", ["pagesize"]),
        ("/v1/items?page=1&page=2", ["page"]),
        ("/v1/items?page=99999999999999999999999", ["page"]),
        ("/v1/items?page=-1&to=x&flavour=red", ["flavour", "page", "to"]),
        ("/v1/search", ["q"]),
        ("/v1/search?q=sea&k=0", ["k"]),
        ("/v1/search?q=sea&k=101", ["k"]),
        ("/v1/search?q=sea&mode=fuzzy", ["mode"]),
        ("/v1/items/N00001?verbose=1", ["verbose"]),
    ])
    func invalidQueryParametersAre400ProblemsListingEachParameter(target: String, parameters: [String]) throws {
        let server = try TestServer()
        let response = try server.client.get(target)
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.object["type"] as? String == "/v1/problems/invalid-parameters")
        let errors = try #require(response.object["errors"] as? [[String: Any]])
        #expect(errors.compactMap { $0["parameter"] as? String }.sorted() == parameters)
        #expect(errors.allSatisfy { ($0["detail"] as? String)?.isEmpty == false })
    }

    @Test func unknownParameterSuggestsTheRightSpelling() throws {
        let server = try TestServer()
        let response = try server.client.get("/v1/items?pagesize=10")
        let errors = try #require(response.object["errors"] as? [[String: Any]])
        #expect((errors.first?["detail"] as? String)?.contains("page_size") == true)
    }

    @Test func searchRanksMatchingItemsWithScores() throws {
        let server = try TestServer()
        let response = try server.client.get("/v1/search?q=storm&k=5")
        #expect(response.status == 200)
        #expect(response.object["query"] as? String == "storm")
        #expect(response.object["mode"] as? String == "lexical")
        let results = try #require(response.object["results"] as? [[String: Any]])
        let first = try #require(results.first)
        #expect((first["item"] as? [String: Any])?["id"] as? String == "N00001")
        #expect(first["score"] is Double)

        let none = try server.client.get("/v1/search?q=zzzyzx")
        #expect((none.object["results"] as? [Any])?.isEmpty == true)
    }

    @Test func semanticSearchWithoutEmbeddingsIsA503ThatSaysWhatToRun() throws {
        let server = try TestServer()
        let semantic = try server.client.get("/v1/search?q=storm&mode=semantic")
        #expect(semantic.status == 503)
        #expect(semantic.object["type"] as? String == "/v1/problems/search-unavailable")
        #expect((semantic.object["detail"] as? String)?.contains("curio embed") == true)
        let hybrid = try server.client.get("/v1/search?q=storm&mode=hybrid")
        #expect(hybrid.status == 200)
        #expect(hybrid.object["mode"] as? String == "lexical")
        let lexical = try server.client.get("/v1/search?q=storm&mode=lexical")
        #expect(lexical.object["mode"] as? String == "lexical")
    }

    @Test func searchTreatsOperatorCharactersAsText() throws {
        let server = try TestServer()
        for q in ["%22unbalanced", "sea%20AND%20(", "*", "NEAR(a%20b)", "-", "%27%3B%20DROP%20TABLE%20items"] {
            let response = try server.client.get("/v1/search?q=\(q)")
            #expect(response.status == 200, "q=\(q) gave \(response.status): \(response.text)")
        }
        #expect(try server.client.get("/v1/items/N00001").status == 200)
    }

    @Test func headAndOptionsAreAnswered() throws {
        let server = try TestServer()
        let head = try server.client.request("HEAD", "/health")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        let options = try server.client.request("OPTIONS", "/v1/events")
        #expect(options.status == 204)
        #expect(options.header("Allow") == "POST, OPTIONS")
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let server = try TestServer()
        let response = try server.client.request("DELETE", "/v1/items/N00001")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
        #expect(response.object["type"] as? String == "/v1/problems/method-not-allowed")
        let post = try server.client.postJSON("/health", "{}")
        #expect(post.status == 405)
        let get = try server.client.get("/v1/events")
        #expect(get.status == 405)
        #expect(get.header("Allow") == "POST, OPTIONS")
    }

    @Test(arguments: ["/", "/v2/items", "/v1/items/N00001/extra", "/v1", "/v1/itemz", "/health/x", "/%00"])
    func unknownRoutesAre404Problems(path: String) throws {
        let server = try TestServer()
        let response = try server.client.get(path)
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.object["type"] as? String == "/v1/problems/route-not-found")
    }

    @Test func problemTypesResolveToTheirDescriptions() throws {
        let server = try TestServer()
        for kind in ProblemType.allCases {
            let response = try server.client.get(kind.uri)
            #expect(response.status == 200)
            #expect(response.object["status"] as? Int == kind.status.rawValue)
            #expect(response.object["title"] as? String == kind.title)
        }
        #expect(try server.client.get("/v1/problems/no-such-problem").status == 404)
    }
}
