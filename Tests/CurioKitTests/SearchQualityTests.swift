import CurioCompression
import CurioCore
import CurioKit
import CurioNeural
import CurioStore
import Foundation
import Testing

/// Does semantic retrieval help? Hand-written visitor queries over a sample of the Tate collection, each judged by
/// a rule over Tate's own subject terms, ranked lexically (BM25) and by hybrid search (BM25 + MiniLM, fused).
@Suite("Search quality on Tate data", .serialized)
struct SearchQualityTests {
    /// A query and its relevance rule over an item's subject labels (Tate's most specific terms).
    struct Judged: Sendable {
        let query: String
        let isRelevant: @Sendable (Set<String>) -> Bool
    }

    static func any(_ terms: String...) -> @Sendable (Set<String>) -> Bool {
        let wanted = Set(terms)
        return { !$0.isDisjoint(with: wanted) }
    }

    /// Phrased as a visitor would ask, not in the catalogue's vocabulary.
    static let queries: [Judged] = [
        Judged(query: "shipwreck in a storm") { $0.contains("shipwreck") || ($0.contains("storm") && $0.contains("sea")) },
        Judged(query: "stormy seascape at night") {
            !$0.isDisjoint(with: ["sea", "coast", "wave"]) && !$0.isDisjoint(with: ["storm", "night"])
        },
        Judged(query: "mother holding her baby", isRelevant: any("mother and child", "baby")),
        Judged(query: "horses in battle") {
            $0.contains("horse") && !$0.isDisjoint(with: ["war", "military", "soldier", "fighting", "army"])
        },
        Judged(query: "symbols of death and mortality", isRelevant: any("death", "skull", "gravestone / tomb", "graveyard")),
        Judged(query: "fishermen at work", isRelevant: any("fisherman / fisherwoman", "boat, fishing", "fishing")),
        Judged(query: "snowy winter landscape", isRelevant: any("snow", "winter")),
        Judged(query: "people dancing", isRelevant: any("dance")),
        Judged(query: "angels from heaven", isRelevant: any("angel")),
        Judged(query: "the life of Jesus", isRelevant: any("Christ")),
        Judged(query: "pet cats and dogs", isRelevant: any("cat", "dog - non-specific")),
        Judged(query: "someone reading a book", isRelevant: any("reading")),
        Judged(query: "lighthouse on the coast", isRelevant: any("lighthouse")),
        Judged(query: "waterfall in the mountains", isRelevant: any("waterfall")),
        Judged(query: "great medieval cathedrals", isRelevant: any("cathedral")),
        Judged(query: "windmills in the countryside", isRelevant: any("windmill")),
        Judged(query: "artists painting themselves", isRelevant: any("self-portraits")),
        Judged(query: "Venice canals and gondolas", isRelevant: any("Venice - non-specific", "Venice, Grand Canal", "boat, gondola")),
        Judged(query: "soldiers with weapons", isRelevant: any("soldier", "gun, rifle", "sword", "army")),
        Judged(query: "cattle and sheep grazing", isRelevant: any("cow", "sheep")),
        Judged(query: "moonlit scenes", isRelevant: any("moon")),
        Judged(query: "music and musicians", isRelevant: any("music")),
        Judged(query: "bathing and swimming", isRelevant: any("bathing / swimming")),
        Judged(query: "ships in a harbour", isRelevant: any("harbour", "dock")),
        Judged(query: "ruined abbeys and castles", isRelevant: any("abbey", "castle")),
        Judged(query: "portraits of old men", isRelevant: any("man, old")),
    ]

    /// Every `stride`-th Tate artwork that has subject terms (a fixed, unbiased sample of about 1,000).
    static let stride = 60

    /// NDCG@k with binary relevance; the ideal ranking puts all `relevantCount` relevant items first.
    static func ndcg(_ ranked: [ItemID], relevant: Set<ItemID>, k: Int = 10) -> Double {
        var dcg = 0.0
        for (i, id) in ranked.prefix(k).enumerated() where relevant.contains(id) { dcg += 1 / log2(Double(i + 2)) }
        let ideal = (0..<min(k, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
        return ideal > 0 ? dcg / ideal : 0
    }

    @Test func hybridSearchBeatsLexicalOnMeanNDCG10() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared").standardized
        let artworks = shared.appendingPathComponent("data/tate/artworks.jsonl.gz")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-search-quality-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // 1. The sample: raw lines of every stride-th artwork with subjects.
        let noSubjects = Data("\"subjectCount\":0,".utf8)
        var sample = Data()
        var withSubjects = 0
        try LineReader(path: artworks.path).forEachLine { _, bytes in
            guard let bytes, !bytes.isEmpty else { return }
            let line = Data(bytes)
            if line.range(of: noSubjects) != nil { return }
            if withSubjects % Self.stride == 0 { sample.append(line); sample.append(0x0A) }
            withSubjects += 1
        }
        try sample.write(to: folder.appendingPathComponent("artworks.jsonl"))

        // 2. Ingest and embed.
        let curio = try Curio.create(at: folder.appendingPathComponent("curio.db").path)
        _ = try curio.ingest(format: .tate, paths: [folder])
        let embedded = try curio.embedItems()
        #expect(embedded.items > 900 && embedded.embedded == embedded.items)

        // 3. Judge every query with its rule over the items' subject labels.
        var labels: [ItemID: Set<String>] = [:]
        try curio.store.forEachItem { item in labels[item.id] = Set(item.subjects.compactMap(curio.label(of:))) }
        var lexicalScores: [Double] = [], hybridScores: [Double] = [], report: [String] = []
        for judged in Self.queries {
            let relevant = Set(labels.filter { judged.isRelevant($0.value) }.keys)
            guard relevant.count >= 3 else { continue }
            let lexical = try curio.search(judged.query, mode: .lexical, limit: 10)
            let hybrid = try curio.search(judged.query, mode: .hybrid, limit: 10)
            #expect(hybrid.mode == .hybrid)
            let l = Self.ndcg(lexical.results.map(\.item.id), relevant: relevant)
            let h = Self.ndcg(hybrid.results.map(\.item.id), relevant: relevant)
            lexicalScores.append(l)
            hybridScores.append(h)
            report.append(String(format: "| %@ | %d | %.3f | %.3f |", judged.query, relevant.count, l, h))
        }
        let meanLexical = lexicalScores.reduce(0, +) / Double(max(1, lexicalScores.count))
        let meanHybrid = hybridScores.reduce(0, +) / Double(max(1, hybridScores.count))
        print("""
            Search quality over \(embedded.items) Tate artworks (every \(Self.stride)th with subjects), NDCG@10:
            | query | relevant | lexical | hybrid |
            |---|---|---|---|
            \(report.joined(separator: "\n"))
            | **mean of \(lexicalScores.count) queries** | | **\(String(format: "%.3f", meanLexical))** | **\(String(format: "%.3f", meanHybrid))** |
            """)
        #expect(lexicalScores.count >= 20, "at least 20 queries must have 3 or more relevant items in the sample")
        #expect(meanHybrid > meanLexical, "hybrid \(meanHybrid) should beat lexical \(meanLexical)")
    }
}
