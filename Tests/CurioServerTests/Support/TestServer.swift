import CurioCore
import CurioKit
@testable import CurioServer
import CurioStore
import Foundation

/// A real Curio HTTP server on a random loopback port, over a fresh SQLite database holding ``Fixture``'s
/// records. Stopped and deleted when released.
final class TestServer: @unchecked Sendable {
    static let apiKey = "test-key-0123456789abcdef"

    let folder: URL
    let curio: Curio
    let server: HTTPServer
    var client: RawHTTPClient { RawHTTPClient(port: server.port) }

    init(keys: APIKeyPolicy = .required(key: TestServer.apiKey), maxBodyBytes: Int = 1 << 20, threads: Int = 2) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        curio = try Curio.create(at: folder.appendingPathComponent("curio.db").path)
        _ = try curio.store.write(Fixture.batch)
        let api = CurioAPI(curio: curio, keys: keys)
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, threads: threads,
                                                                       maxBodyBytes: maxBodyBytes),
                                handler: api.router)
    }

    deinit {
        server.shutdown(gracePeriod: 2)
        try? FileManager.default.removeItem(at: folder)
    }

    var authorization: [(String, String)] { [("Authorization", "Bearer \(Self.apiKey)")] }
}

/// A small collection for the HTTP tests.
enum Fixture {
    static let nature = Concept(id: "t:s:nature", scheme: .subject, label: "nature", level: 0)
    static let sea = Concept(id: "t:s:sea", scheme: .subject, label: "sea", broader: "t:s:nature", level: 1)
    static let storm = Concept(id: "t:s:storm", scheme: .subject, label: "storm", broader: "t:s:nature", level: 1)
    static let people = Concept(id: "t:s:people", scheme: .subject, label: "people", level: 0)
    static let oldMan = Concept(id: "t:s:old-man", scheme: .subject, label: "man, old", broader: "t:s:people", level: 1)
    static let romanticism = Concept(id: "t:m:romanticism", scheme: .movement, label: "Romanticism", level: 0)

    static let turner = Agent(id: "t:a:558", name: "Joseph Mallord William Turner", birthYear: 1775, deathYear: 1851)
    static let blake = Agent(id: "t:a:39", name: "William Blake", birthYear: 1757, deathYear: 1827)

    static let items = [
        Item(id: "N00001", source: "tate", title: "Snow Storm at Sea", alternateTitles: ["fr": "Tempête de neige en mer"],
             makers: [MakerCredit(agent: turner.id, name: turner.name)],
             date: DateRange(text: "c.1842", startYear: 1837, endYear: 1847, isCirca: true),
             medium: "Oil paint on canvas", dimensions: "support: 914 x 1219 mm", widthMM: 1219, heightMM: 914,
             subjects: ["t:s:sea", "t:s:storm"], movements: ["t:m:romanticism"], creditLine: "Accepted by the nation 1856",
             acquisitionYear: 1856, url: "https://example.org/N00001",
             images: [ImageReference(kind: .url, location: "https://example.org/N00001.jpg")]),
        Item(id: "N00002", source: "tate", title: "Old Man Reading by Candlelight",
             makers: [MakerCredit(agent: blake.id, name: blake.name)],
             date: DateRange(text: "1795", startYear: 1795, endYear: 1795), medium: "Watercolour on paper",
             subjects: ["t:s:old-man"]),
        Item(id: "N00003", source: "tate", title: "Calm Sea with Fishing Boats",
             makers: [MakerCredit(agent: turner.id, name: turner.name)],
             date: DateRange(text: "1805", startYear: 1805, endYear: 1805), medium: "Watercolour and graphite on paper",
             subjects: ["t:s:sea"]),
        Item(id: "P00004", source: "paintings", title: "Study of Clouds",
             description: "A quick sketch of clouds over a harbour.",
             date: DateRange(text: "1900", startYear: 1900, endYear: 1900), medium: "Oil on board"),
    ]

    static let batch = RecordBatch(items: items, agents: [turner, blake],
                                   concepts: [nature, sea, storm, people, oldMan, romanticism])
}
