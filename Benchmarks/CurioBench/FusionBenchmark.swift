import CurioCore
import CurioMath
import CurioMultimodal
import CurioNeural
import Foundation

/// `curio-bench fusion --paintings DIR --features FILE [--text-cache FILE] [--seed S] [--lr X] [--weight-decay X] [--batch B]
///  [--fixture OUT --fixture-count N]`
///
/// Retrieval evaluation on the public-domain paintings: image nearest-neighbour precision@10 for same artist and same
/// century against chance (and the same for text and fused vectors), then text→image retrieval (an item's
/// "title. artist." text finds its own image) on a held-out test split with the learned image→text projection and
/// with the untrained (random-init) one. `--features` is the 1280-d feature file written by
/// `curio-bench image --features` for the same folder (rows in file-name order); MiniLM text vectors are cached in
/// `--text-cache`. With `--fixture`, writes the small quantised pair file the CurioMultimodal tests read and exits.
enum FusionBenchmark {
    struct Painting: Decodable {
        let file: String
        let id: String
        let title: String?
        let artist: String?
        let century: String?

        enum CodingKeys: String, CodingKey { case file, id, title, artist, century }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            file = try c.decode(String.self, forKey: .file)
            id = try c.decode(String.self, forKey: .id)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            artist = try c.decodeIfPresent(String.self, forKey: .artist)
            // A number (17) for most works, a word ("BCE") for a few.
            if let n = try? c.decodeIfPresent(Int.self, forKey: .century) { century = String(n) }
            else { century = try c.decodeIfPresent(String.self, forKey: .century) }
        }
    }

    static func run(_ arguments: [String]) throws {
        let options = try BenchSupport.Options(arguments)
        guard let folder = options.string("paintings"), let featuresPath = options.string("features") else {
            throw BenchSupport.UsageError(description:
                "usage: curio-bench fusion --paintings DIR --features FILE [--text-cache FILE] [--seed S] [--fixture OUT --fixture-count N]")
        }
        let seed = UInt64(try options.int("seed", default: 42))
        // Paintings in file-name order, as `curio-bench image` wrote the features.
        let lines = try String(contentsOfFile: folder + "/metadata.jsonl", encoding: .utf8).split(separator: "\n")
        var paintings = try lines.map { try JSONDecoder().decode(Painting.self, from: Data($0.utf8)) }
        paintings.sort { URL(fileURLWithPath: $0.file).lastPathComponent < URL(fileURLWithPath: $1.file).lastPathComponent }
        let n = paintings.count
        let featureData = try Data(contentsOf: URL(fileURLWithPath: featuresPath))
        guard featureData.count == n * 1280 * 4 else {
            throw BenchSupport.UsageError(description: "\(featuresPath) holds \(featureData.count / 5120) feature rows, expected \(n)")
        }
        let features = Matrix(rows: n, columns: 1280, storage: featureData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })

        let texts = paintings.map { p in [p.title, p.artist].compactMap { $0 }.map { $0.hasSuffix(".") ? $0 : $0 + "." }.joined(separator: " ") }
        let textVectors = try textEmbeddings(texts, cache: options.string("text-cache"))

        if let out = options.string("fixture") {
            try writeFixture(to: out, count: try options.int("fixture-count", default: 500), features: features, texts: textVectors, seed: seed)
            return
        }

        // Nearest neighbours by image, text and (text + projected image) for same artist / same century.
        var imageUnit = features
        var mean = [Float](repeating: 0, count: 1280)
        for r in 0..<n { for j in 0..<1280 { mean[j] += features.storage[r * 1280 + j] / Float(n) } }
        for r in 0..<n { for j in 0..<1280 { imageUnit.storage[r * 1280 + j] -= mean[j] } }
        imageUnit.normalizeRows()
        let artists = paintings.map { $0.artist.flatMap { $0.isEmpty || $0.lowercased().hasPrefix("unknown") ? nil : $0 } }
        let centuries = paintings.map(\.century)

        // Projection: 70 % training, 10 % early stopping, 20 % held out for the numbers below.
        let split = ProjectionSplit.random(count: n, validationShare: 0.1, testShare: 0.2, seed: seed)
        var trainingOptions = ProjectionTrainingOptions()
        trainingOptions.seed = seed
        if let lr = options.string("lr").flatMap(Float.init) { trainingOptions.learningRate = lr }
        if let wd = options.string("weight-decay").flatMap(Float.init) { trainingOptions.weightDecay = wd }
        trainingOptions.batchSize = try options.int("batch", default: trainingOptions.batchSize)
        let t0 = BenchSupport.now()
        let (projection, report) = try ProjectionTrainer.train(imageFeatures: features, textVectors: textVectors, split: split,
                                                               options: trainingOptions,
                                                               imageModel: ImageEncoderID.value, textModel: "all-MiniLM-L6-v2")
        let trainSeconds = BenchSupport.now() - t0
        let untrained = try ProjectionTrainer.untrained(imageFeatures: features, textVectors: textVectors, split: split,
                                                        options: trainingOptions)
        func rows(_ m: Matrix, _ idx: [Int]) -> Matrix {
            Matrix(rows: idx.count, columns: m.columns, storage: idx.flatMap { m.row($0) })
        }
        var unitTexts = textVectors
        unitTexts.normalizeRows()
        let testTexts = rows(unitTexts, split.test)
        let testImages = rows(features, split.test)
        let learned = try projection.project(testImages), random = try untrained.project(testImages)
        let t2iLearned = RetrievalMetrics.paired(queries: testTexts, candidates: learned)
        let t2iRandom = RetrievalMetrics.paired(queries: testTexts, candidates: random)
        let i2tLearned = RetrievalMetrics.paired(queries: learned, candidates: testTexts)
        let i2tRandom = RetrievalMetrics.paired(queries: random, candidates: testTexts)

        let projectedAll = try projection.project(features)
        let ids = paintings.map { ItemID($0.id) }
        let fused = try FusedItemVectors(text: ModalityVectors(items: ids, vectors: unitTexts),
                                         image: ModalityVectors(items: ids, vectors: projectedAll), graph: nil, weights: .default)
        let fusedRows = ids.map { fused.index[$0]! }
        let fusedMatrix = rows(fused.vectors, fusedRows)
        func precision(_ m: Matrix, _ labels: [String?]) -> [String: Any] {
            let p = RetrievalMetrics.neighbourPrecision(vectors: m, labels: labels, k: 10)
            return ["precision@10": p.precision, "chance": p.chance, "queries": p.queries, "lift": p.precision / max(p.chance, 1e-12)]
        }
        func scores(_ s: RetrievalScores) -> [String: Any] {
            ["recall@1": s.recallAt1, "recall@10": s.recallAt10, "mrr": s.mrr, "queries": s.queries]
        }
        BenchSupport.emit([
            "benchmark": "fusion", "paintings": n, "seed": seed,
            "image_nn_same_artist": precision(imageUnit, artists), "image_nn_same_century": precision(imageUnit, centuries),
            "text_nn_same_artist": precision(unitTexts, artists), "text_nn_same_century": precision(unitTexts, centuries),
            "fused_nn_same_artist": precision(fusedMatrix, artists), "fused_nn_same_century": precision(fusedMatrix, centuries),
            "split": ["training": split.training.count, "validation": split.validation.count, "test": split.test.count],
            "projection": ["learning_rate": trainingOptions.learningRate, "weight_decay": trainingOptions.weightDecay,
                           "batch": trainingOptions.batchSize, "epochs": report.epochs.count, "best_epoch": report.bestEpoch, "temperature": projection.temperature,
                           "train_seconds": trainSeconds],
            "text_to_image_learned": scores(t2iLearned), "text_to_image_untrained": scores(t2iRandom),
            "image_to_text_learned": scores(i2tLearned), "image_to_text_untrained": scores(i2tRandom),
            "peak_rss_mib": BenchSupport.peakRSSMiB() ?? -1,
        ])
    }

    enum ImageEncoderID { static let value = ModelRegistry.efficientNetLite0.modelID }

    /// MiniLM embeddings of `texts`, read from `cache` when it holds exactly these texts' vectors.
    static func textEmbeddings(_ texts: [String], cache: String?) throws -> Matrix {
        let d = 384
        if let cache, let data = try? Data(contentsOf: URL(fileURLWithPath: cache)), data.count == texts.count * d * 4 {
            return Matrix(rows: texts.count, columns: d, storage: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
        BenchSupport.log("encoding \(texts.count) painting texts with MiniLM")
        let encoder = try TextEncoder.installed()
        let m = try encoder.encodeMatrix(texts)
        if let cache {
            try m.storage.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: cache))
        }
        return m
    }

    /// The CurioMultimodal test fixture: `count` random pairs, image features quantised to 8 bits (0…max), text
    /// vectors to signed 8 bits (×127). Layout: `CURIOFX1`, count, 1280, 384 (UInt32 LE), max (float32 LE), then
    /// count×1280 UInt8 and count×384 Int8.
    static func writeFixture(to path: String, count: Int, features: Matrix, texts: Matrix, seed: UInt64) throws {
        var order = Array(0..<features.rows)
        var rng = SeededRandom(seed: seed, stream: 77)
        rng.shuffle(&order)
        let chosen = order.prefix(min(count, order.count))
        let maxValue = chosen.map { features.row($0).max() ?? 0 }.max() ?? 1
        var data = Data("CURIOFX1".utf8)
        for v in [UInt32(chosen.count), 1280, 384] { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        withUnsafeBytes(of: maxValue.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        for r in chosen {
            data.append(contentsOf: features.row(r).map { UInt8(max(0, min(255, ($0 / maxValue * 255).rounded()))) })
        }
        var unit = texts
        unit.normalizeRows()
        for r in chosen {
            data.append(contentsOf: unit.row(r).map { UInt8(bitPattern: Int8(max(-127, min(127, ($0 * 127).rounded())))) })
        }
        try data.write(to: URL(fileURLWithPath: path))
        BenchSupport.log("wrote \(chosen.count) pairs to \(path) (\(data.count) bytes)")
    }
}
