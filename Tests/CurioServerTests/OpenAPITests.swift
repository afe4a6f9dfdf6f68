import CurioCore
@testable import CurioServer
import Foundation
import Testing

/// The OpenAPI document describes exactly the routes the server has, and its references resolve.
@Suite struct OpenAPITests {
    @Test func documentIsServedAndDescribesEveryRoute() throws {
        let server = try TestServer()
        let response = try server.client.get("/v1/openapi.json")
        #expect(response.status == 200)
        let document = response.object
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let api = CurioAPI(curio: server.curio, keys: .writesDisabled)
        var documented: Set<String> = []
        for (path, operations) in paths {
            for (method, operation) in operations {
                let id = (operation as? [String: Any])?["operationId"] as? String ?? "?"
                documented.insert("\(method.uppercased()) \(path) \(id)")
            }
        }
        let routed = Set(api.router.routes.map { "\($0.method) \($0.pattern) \($0.operationID)" })
        #expect(documented == routed)
    }

    @Test func everyReferenceResolvesAndEveryProblemTypeHasAResponse() throws {
        let data = OpenAPIDocument.json
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let ref = object["$ref"] as? String { references.append(ref) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("#/"))
            var node: Any? = document
            for part in reference.dropFirst(2).split(separator: "/") {
                node = (node as? [String: Any])?[String(part)]
            }
            #expect(node != nil, "unresolved \(reference)")
        }
        let responses = try #require((document["components"] as? [String: Any])?["responses"] as? [String: Any])
        for kind in ProblemType.allCases {
            #expect(responses[OpenAPIDocument.responseName(kind)] != nil, "\(kind)")
        }
    }

    @Test func pathParametersMatchTheTemplates() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            let expected = PathPattern(path).parameterNames
            for (_, operation) in operations {
                let declared = (operation["parameters"] as? [[String: Any]] ?? [])
                    .filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                #expect(declared == expected, "\(path)")
            }
        }
    }
}
