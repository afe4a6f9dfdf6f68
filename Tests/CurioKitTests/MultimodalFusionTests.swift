import CurioCore
import CurioKit
import CurioMath
import CurioMultimodal
import CurioNeural
import CurioStore
import Foundation
import Testing

/// `Curio.fuse`, `similar(modality:)` and the fallbacks, on 60 real painting pairs (EfficientNet-Lite0 features and
/// MiniLM title/artist vectors from the CurioMultimodal fixture) stored as item vectors.
@Suite struct MultimodalFusionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../CurioMultimodalTests/Fixtures/paintings-pairs.bin").standardizedFileURL

    /// The first `count` pairs of the fixture as (image rows, text rows).
    static func pairs(_ count: Int) throws -> (images: [[Float]], texts: [[Float]]) {
        let bytes = [UInt8](try Data(contentsOf: fixture))
        func u32(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24 }
        let (n, di, dt) = (u32(8), u32(12), u32(16))
        let maxValue = Float(bitPattern: UInt32(u32(20)))
        let textStart = 24 + n * di
        let images = (0..<count).map { r in (0..<di).map { Float(bytes[24 + r * di + $0]) / 255 * maxValue } }
        let texts = (0..<count).map { r in (0..<dt).map { Float(Int8(bitPattern: bytes[textStart + r * dt + $0])) / 127 } }
        return (images, texts)
    }

    /// A database with items p0…p59: every item but p59 has a text vector, every item but p0 an image vector.
    static func collection() throws -> (Curio, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-fusion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let curio = try Curio.create(at: folder.appendingPathComponent("museum.db").path)
        let items = (0..<60).map { Item(id: ItemID("p\($0)"), source: "paintings", title: "Painting \($0)") }
        _ = try curio.store.write(RecordBatch(items: items))
        let (images, texts) = try pairs(60)
        let vectors = try #require(curio.store as? any ItemVectorStore)
        try vectors.writeVectors((0..<59).map { ItemVector(item: ItemID("p\($0)"), contentHash: "t\($0)", values: texts[$0]) },
                                 model: ModelRegistry.miniLM.modelID, dimension: 384)
        try vectors.writeVectors((1..<60).map { ItemVector(item: ItemID("p\($0)"), contentHash: "i\($0)", values: images[$0]) },
                                 model: ImageEmbedding.modelID, dimension: 1280)
        return (curio, folder)
    }

    @Test func textAndImageSimilarityUseTheirOwnVectors() throws {
        let (curio, folder) = try Self.collection()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (images, texts) = try Self.pairs(60)
        func cosine(_ a: [Float], _ b: [Float]) -> Float {
            let dot = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            return dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
        let text = try curio.similar(to: "p1", k: 5, modality: .text)
        #expect(text.modality == "text")
        let bestText = (0..<59).filter { $0 != 1 }.max { cosine(texts[1], texts[$0]) < cosine(texts[1], texts[$1]) }!
        #expect(text.items.first?.id == "p\(bestText)")
        #expect(text.items.count == 5)

        let image = try curio.similar(to: "p1", k: 5, modality: .image)
        #expect(image.modality == "image")
        // Image neighbours are ranked by centred features, so compare with the centred cosine.
        let mean = (0..<1280).map { j in (1..<60).reduce(Float(0)) { $0 + images[$1][j] } / 59 }
        let centred = images.map { row in zip(row, mean).map { $0 - $1 } }
        let bestImage = (1..<60).filter { $0 != 1 }.max { cosine(centred[1], centred[$0]) < cosine(centred[1], centred[$1]) }!
        #expect(image.items.first?.id == "p\(bestImage)")
        #expect(image.items.first?.because.contains { $0.type == "visual_similarity" } == true)
        // The vectors ranked the neighbours, so their evidence leads the explanation: the words the records share
        // for text; for images without stored descriptors, a look-alike with no palette detail.
        #expect(text.items.first?.because.first?.type == "text_similarity")
        #expect(text.items.first?.because.first?.details == ["painting"])
        #expect(text.items.first?.explanation.contains("described in similar terms (painting)") == true)
        #expect(image.items.first?.because.first?.type == "visual_similarity")
        #expect(image.items.first?.explanation.contains("similar in look") == true)
        #expect(image.items.first?.explanation.contains("()") == false)

        #expect(throws: MultimodalServiceError.itemWithoutVector(item: "p59", modality: "text", hint: "run `curio embed`")) {
            try curio.similar(to: "p59", k: 5, modality: .text)
        }
        #expect(throws: MultimodalServiceError.self) { try curio.similar(to: "p0", k: 5, modality: .image) }
    }

    @Test func fuseTrainsTheProjectionAndItemsMissingAModalityStillGetFusedNeighbours() throws {
        let (curio, folder) = try Self.collection()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Before `fuse`: images are left out (with a note); p59 has only an image, so it falls back to metadata.
        let before = try curio.similar(to: "p1", k: 5, modality: .fused)
        #expect(before.modality == "fused" && before.modalities == ["text"])
        #expect(before.warnings?.contains { $0.contains("curio fuse") } == true)
        let imageOnlyBefore = try curio.similar(to: "p59", k: 5, modality: .fused)
        #expect(imageOnlyBefore.modality == "metadata")
        #expect(imageOnlyBefore.warnings?.first?.contains("curio embed") == true)

        var options = ProjectionTrainingOptions()
        options.batchSize = 32
        let summary = try curio.fuse(options: options)
        let projection = try #require(summary.projection)
        #expect(projection.pairs == 58 && projection.version == 1)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("museum.db.models/projection/v1.projection").path))
        #expect(summary.fusion.source == "default" && summary.fusion.weights == .default)
        #expect(summary.notes.contains { $0.contains("fusion weights are the defaults") })

        let imageOnly = try curio.similar(to: "p59", k: 5, modality: .fused)
        #expect(imageOnly.modality == "fused" && imageOnly.modalities == ["image"])
        #expect(imageOnly.items.count == 5)
        let textOnly = try curio.similar(to: "p0", k: 5, modality: .fused)
        #expect(textOnly.modalities == ["text"] && textOnly.items.count == 5)
        let both = try curio.similar(to: "p1", k: 5, modality: .fused)
        #expect(both.modalities == ["text", "image"] && both.warnings == nil)
        #expect(both.fusion == FusionDescription(text: 0.5, image: 0.3, graph: 0.2, source: "default"))

        // A second run writes the next version; a reopened collection uses it.
        _ = try curio.trainImageProjection(options: options)
        let reopened = try Curio.open(at: folder.appendingPathComponent("museum.db").path)
        #expect(try reopened.imageProjection()?.info.trainingPairs == projection.trainingPairs)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("museum.db.models/projection/v2.projection").path))
    }

    @Test func fusionWeightsAreLearnedFromEachVisitorsLatestMove() throws {
        let (curio, folder) = try Self.collection()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 25 visitors: each looks at p(2i+1) and then at its nearest neighbour by text.
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var events: [Event] = []
        for i in 0..<25 {
            let from = ItemID("p\(2 * i + 1)")
            let to = try #require(try curio.similar(to: from, k: 1, modality: .text).items.first?.id)
            events.append(Event(visitor: VisitorID("v\(i)"), item: from, kind: .view, timestamp: start.addingTimeInterval(Double(i * 100))))
            events.append(Event(visitor: VisitorID("v\(i)"), item: ItemID(to), kind: .like,
                                timestamp: start.addingTimeInterval(Double(i * 100 + 30))))
        }
        _ = try curio.recordEvents(events)
        #expect(try curio.nextItemCases().count == 25)
        let choice = try curio.learnFusionWeights()
        #expect(choice.source == "learned" && choice.cases >= 20)
        #expect(choice.weights.text == 1 && choice.ndcg >= choice.defaultNDCG)
        #expect(curio.fusionWeights().source == "learned")
        let list = try curio.similar(to: "p1", k: 3, modality: .fused)
        #expect(list.fusion?.source == "learned")
    }
}
