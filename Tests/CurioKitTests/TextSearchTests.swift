import CurioCore
import CurioKit
import CurioNeural
import CurioStore
import Foundation
import Testing

@Suite("Item text embeddings and search modes", .serialized)
struct TextSearchTests {
    static let sea = Concept(id: "t:s:sea", scheme: .subject, label: "sea", level: 1)
    static let storm = Concept(id: "t:s:storm", scheme: .subject, label: "storm", level: 1)
    static let oldMan = Concept(id: "t:s:old-man", scheme: .subject, label: "man, old", level: 1)
    static let romanticism = Concept(id: "t:m:romanticism", scheme: .movement, label: "Romanticism", level: 0)
    static let turner = MakerCredit(agent: "t:a:558", name: "Joseph Mallord William Turner")

    static let items = [
        Item(id: "N00001", source: "tate", title: "Snow Storm at Sea", makers: [turner],
             date: DateRange(text: "c.1842", startYear: 1837, endYear: 1847, isCirca: true), medium: "Oil paint on canvas",
             subjects: ["t:s:sea", "t:s:storm"], movements: ["t:m:romanticism"]),
        Item(id: "N00002", source: "tate", title: "Old Man Reading by Candlelight",
             makers: [MakerCredit(agent: "t:a:39", name: "William Blake", role: "after")],
             date: DateRange(text: "1795", startYear: 1795, endYear: 1795), medium: "Watercolour on paper",
             subjects: ["t:s:old-man"]),
        Item(id: "N00003", source: "tate", title: "Calm Sea with Fishing Boats", makers: [turner], subjects: ["t:s:sea"]),
        Item(id: "N00004", source: "tate", title: "Bowl of Fruit", description: "Apples and pears on a table.  ",
             medium: "Oil paint on board"),
    ]

    /// The installed text encoder, loaded once for the suite (run `make models` if this fails).
    static let encoder: Result<TextEncoder, any Error> = Result { try TextEncoder.installed() }

    func collection() throws -> (curio: Curio, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-textsearch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let curio = try Curio.create(at: folder.appendingPathComponent("curio.db").path)
        _ = try curio.store.write(RecordBatch(items: Self.items, concepts: [Self.sea, Self.storm, Self.oldMan, Self.romanticism]))
        curio.useTextEncoder(try Self.encoder.get())
        return (curio, folder)
    }

    @Test func canonicalTextFollowsTheRecipe() throws {
        let labels: [ConceptID: String] = ["t:s:sea": "sea", "t:s:storm": "storm", "t:m:romanticism": "Romanticism",
                                           "t:s:old-man": "man, old"]
        #expect(ItemText.text(for: Self.items[0], label: { labels[$0] })
            == "Snow Storm at Sea. Joseph Mallord William Turner. c.1842. Oil paint on canvas. Subjects: sea, storm. Movements: Romanticism.")
        #expect(ItemText.text(for: Self.items[1], label: { labels[$0] })
            == "Old Man Reading by Candlelight. William Blake (after). 1795. Watercolour on paper. Subjects: man, old.")
        #expect(ItemText.text(for: Self.items[3], label: { labels[$0] })
            == "Bowl of Fruit. Oil paint on board. Apples and pears on a table.")
        // Unknown concepts are skipped; the hash follows the text exactly.
        let bare = ItemText.text(for: Self.items[0], label: { _ in nil })
        #expect(!bare.contains("Subjects"))
        #expect(ItemText.contentHash(of: bare) != ItemText.contentHash(of: bare + " "))
        #expect(ItemText.contentHash(of: bare).count == 64)
    }

    @Test func reciprocalRankFusionRewardsAgreement() {
        let fused = RankFusion.reciprocalRank([["a", "b", "c"], ["c", "a", "d"]])
        #expect(fused.map(\.item) == ["a", "c", "b", "d"])
        #expect(Swift.abs(fused[0].score - (1.0 / 61 + 1.0 / 62)) < 1e-12)
        #expect(RankFusion.reciprocalRank([]).isEmpty)
    }

    @Test func embeddingIsIncrementalAndSearchModesWork() throws {
        let (curio, folder) = try collection()
        defer { try? FileManager.default.removeItem(at: folder) }

        // Before embedding: semantic is unavailable, hybrid answers lexically and says so.
        #expect(throws: TextSearchError.self) { try curio.search("storm at sea", mode: .semantic, limit: 3) }
        let early = try curio.search("storm at sea", mode: .hybrid, limit: 3)
        #expect(early.mode == .lexical)
        #expect(early.warnings.first?.contains("curio embed") == true)

        var reported: [(Int, Int)] = []
        let first = try curio.embedItems { reported.append(($0, $1)) }
        #expect(first.embedded == 4 && first.unchanged == 0 && first.items == 4)
        #expect(first.model == "all-MiniLM-L6-v2@gt-0.1.0")
        #expect(reported.first! == (0, 4) && reported.last! == (4, 4))
        #expect(try curio.embedItems().embedded == 0, "nothing changed, nothing re-embedded")

        // Semantic: paraphrases with no content word in common with the records still find them.
        let semantic = try curio.search("a violent blizzard over the waves", mode: .semantic, limit: 4)
        #expect(semantic.mode == .semantic)
        #expect(semantic.results.first?.item.id == "N00001")
        #expect(semantic.results.count == 4)
        #expect(semantic.results.allSatisfy { $0.hit.score <= 1.0001 && $0.hit.score >= -1.0001 })
        #expect(try curio.search("elderly gentleman with a book", mode: .semantic, limit: 1).results.first?.item.id == "N00002")
        #expect(try curio.search("still life with apples", mode: .semantic, limit: 1).results.first?.item.id == "N00004")

        let hybrid = try curio.search("fishing boats on a calm sea", mode: .hybrid, limit: 2)
        #expect(hybrid.mode == .hybrid && hybrid.warnings.isEmpty)
        #expect(hybrid.results.first?.item.id == "N00003")
        #expect(hybrid.results.first?.hit.snippet?.contains("**") == true, "lexical snippets are kept")

        // Editing one item re-embeds exactly that item, and the semantic index picks up the change.
        var edited = Self.items[3]
        edited.title = "A Dog Asleep by the Fire"
        edited.description = nil
        _ = try curio.store.write(RecordBatch(items: [edited]))
        #expect(try curio.embedItems().embedded == 1)
        #expect(try curio.search("sleeping puppy", mode: .semantic, limit: 1).results.first?.item.id == "N00004")
    }

    @Test func vectorsOfTheStoreMatchTheEncoder() throws {
        let (curio, folder) = try collection()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try curio.embedItems()
        let stored = try #require(curio.store as? any ItemVectorStore).vectors(model: "all-MiniLM-L6-v2@gt-0.1.0")
        #expect(stored.items == ["N00001", "N00002", "N00003", "N00004"])
        let text = ItemText.text(for: Self.items[1], label: curio.label(of:))
        let direct = try Self.encoder.get().encode(text)
        let row = Array(stored.values[384..<768])
        #expect(zip(direct, row).allSatisfy { Swift.abs($0 - $1) < 1e-6 })
    }
}
