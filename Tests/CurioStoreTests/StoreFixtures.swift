import CurioCore
import Foundation
@testable import CurioStore

/// A store in its own temporary folder, removed when the test ends.
final class TemporaryStore {
    let folder: URL
    let path: String
    let store: SQLiteStore

    init(options: SQLiteStore.Options = .init()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("curio.db").path
        store = try SQLiteStore(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// A small, hand-made collection exercising every kind of record and link.
enum Sample {
    static let people = Concept(id: "t:s:people", scheme: .subject, label: "people", level: 0)
    static let adults = Concept(id: "t:s:adults", scheme: .subject, label: "adults", broader: "t:s:people", level: 1)
    static let oldMan = Concept(id: "t:s:old-man", scheme: .subject, label: "man, old", broader: "t:s:adults", level: 2)
    static let woman = Concept(id: "t:s:woman", scheme: .subject, label: "woman", broader: "t:s:adults", level: 2)
    static let nature = Concept(id: "t:s:nature", scheme: .subject, label: "nature", level: 0)
    static let seascapes = Concept(id: "t:s:seascapes", scheme: .subject, label: "seascapes and coasts", broader: "t:s:nature", level: 1)
    static let sea = Concept(id: "t:s:sea", scheme: .subject, label: "sea", broader: "t:s:seascapes", level: 2)
    static let era = Concept(id: "t:era:19", scheme: .era, label: "19th century", level: 0)
    static let romanticism = Concept(id: "t:m:romanticism", scheme: .movement, label: "Romanticism", broader: "t:era:19", level: 1)

    static let concepts = [people, adults, oldMan, woman, nature, seascapes, sea, era, romanticism]

    static let turner = Agent(id: "t:a:558", name: "Joseph Mallord William Turner", sortName: "Turner, Joseph Mallord William",
                              gender: "Male", birthYear: 1775, deathYear: 1851,
                              birthPlace: Place(name: "London, United Kingdom", placeName: "London", placeType: "inhabited_place", country: "United Kingdom"),
                              deathPlace: Place(name: "Chelsea, United Kingdom", placeName: "Chelsea", country: "United Kingdom"),
                              movements: ["t:m:romanticism"])
    static let blake = Agent(id: "t:a:39", name: "William Blake", sortName: "Blake, William", gender: "Male",
                             birthYear: 1757, deathYear: 1827,
                             birthPlace: Place(name: "London, United Kingdom", placeName: "London", country: "United Kingdom"))
    static let agents = [turner, blake]

    static func item(_ id: String, title: String, maker: Agent? = nil, year: Int? = nil, medium: String? = nil,
                     subjects: [ConceptID] = [], movements: [ConceptID] = [], source: String = "test",
                     description: String? = nil) -> Item {
        Item(id: ItemID(id), source: source, title: title, description: description,
             makers: maker.map { [MakerCredit(agent: $0.id, name: $0.name)] } ?? [],
             date: year.map { DateRange(text: "\($0)", startYear: $0, endYear: $0) },
             medium: medium, subjects: subjects, movements: movements,
             images: [ImageReference(kind: .url, location: "https://example.org/\(id).jpg")])
    }

    static let items = [
        item("N00001", title: "The Shipwreck", maker: turner, year: 1805, medium: "Oil paint on canvas",
             subjects: ["t:s:sea"], movements: ["t:m:romanticism"]),
        item("N00002", title: "Old Man Reading", maker: blake, year: 1795, medium: "Watercolour on paper",
             subjects: ["t:s:old-man"]),
        item("N00003", title: "A Woman by the Sea", maker: turner, year: 1840, medium: "Watercolour and graphite on paper",
             subjects: ["t:s:woman", "t:s:sea"]),
        item("N00004", title: "Study of Clouds", year: 1900, medium: "Graphite on paper", source: "other",
             description: "A sketch of the sea at dusk"),
        item("N00005", title: "Untitled", maker: blake),
    ]

    static let batch = RecordBatch(items: items, agents: agents, concepts: concepts)
}
