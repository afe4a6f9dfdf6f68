@testable import CurioServer
import CurioJSON
import Foundation
import Testing

/// Routing, path parameters and problem rendering without a network.
@Suite struct RouterTests {
    func router() -> Router {
        var router = Router()
        router.add(Route("GET", "/v1/items/{id}", operationID: "item") { request in
            HTTPResponse.json(Data((request.pathParameters["id"] ?? "").utf8))
        })
        router.add(Route("GET", "/v1/items", operationID: "list") { _ in HTTPResponse.json(Data("list".utf8)) })
        router.add(Route("POST", "/v1/items", operationID: "create") { _ in
            throw Problem(.validationFailed, errors: [FieldError.body([0, "a/b~c"], "bad")])
        })
        return router
    }

    @Test func pathParametersAreExtracted() {
        let response = router().handle(HTTPRequest(method: "GET", path: "/v1/items/N05742"))
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "N05742")
    }

    @Test func trailingSlashIsIgnored() {
        #expect(String(decoding: router().handle(HTTPRequest(method: "GET", path: "/v1/items/")).body, as: UTF8.self) == "list")
    }

    @Test func emptySegmentsDoNotMatchParameters() {
        #expect(router().handle(HTTPRequest(method: "GET", path: "/v1/items//x")).status == .notFound)
    }

    @Test func methodsAreListedInAllow() {
        let response = router().handle(HTTPRequest(method: "PUT", path: "/v1/items"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.header("Allow") == "GET, POST, HEAD, OPTIONS")
    }

    @Test func thrownProblemsCarryInstanceAndEscapedPointers() throws {
        let response = router().handle(HTTPRequest(method: "POST", path: "/v1/items"))
        #expect(response.status == .unprocessable)
        let problem = try JSONDecoder().decode(Problem.self, from: response.body)
        #expect(problem.instance == "/v1/items")
        #expect(problem.errors?.first?.pointer == "#/0/a~1b~0c")
    }

    @Test func requestBodiesNestedTooDeeplyAreRefusedWithoutCountingBracketsInStrings() throws {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data((String(repeating: "[", count: 33) + String(repeating: "]", count: 33)).utf8)) }
        let nested = try JSONValue.parse(Data(#"[[{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]]"#.utf8))
        #expect(nested.array?.first?.array?.first?["a"]?.string?.count == 41)
    }
}

/// The rendered-item cache: hits only for identical stored bytes, bounded memory.
@Suite struct ItemResponseCacheTests {
    @Test func hitsOnlyWhenTheStoredBytesAreIdentical() {
        let cache = ItemResponseCache()
        cache.insert(Data("rendered".utf8), for: "A", stored: Data("v1".utf8))
        #expect(cache.body(for: "A", stored: Data("v1".utf8)) == Data("rendered".utf8))
        #expect(cache.body(for: "A", stored: Data("v2".utf8)) == nil)
        #expect(cache.body(for: "B", stored: Data("v1".utf8)) == nil)
    }

    @Test func staysWithinItsCapacity() {
        let cache = ItemResponseCache(capacityBytes: 16_000)
        for i in 0..<1000 {
            cache.insert(Data(repeating: 1, count: 500), for: "item-\(i)", stored: Data(repeating: 2, count: 400))
        }
        #expect(cache.count > 0)
        #expect(cache.count * 900 <= 16_000)
    }
}
