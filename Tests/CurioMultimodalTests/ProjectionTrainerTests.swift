import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioMultimodal

/// 400 real painting pairs from ../shared/data/public-domain-paintings: EfficientNet-Lite0 features of the image and
/// the MiniLM embedding of "title. artist.", quantised to 8 bits (written by `curio-bench fusion --fixture`).
enum PaintingPairs {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/paintings-pairs.bin")

    static let pairs: (images: Matrix, texts: Matrix)? = {
        guard let data = try? Data(contentsOf: url), data.count > 24, data.prefix(8) == Data("CURIOFX1".utf8) else { return nil }
        let bytes = [UInt8](data)
        func u32(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24 }
        let (n, di, dt) = (u32(8), u32(12), u32(16))
        let maxValue = Float(bitPattern: UInt32(u32(20)))
        guard bytes.count == 24 + n * (di + dt) else { return nil }
        let images = (0..<(n * di)).map { Float(bytes[24 + $0]) / 255 * maxValue }
        let textStart = 24 + n * di
        let texts = (0..<(n * dt)).map { Float(Int8(bitPattern: bytes[textStart + $0])) / 127 }
        return (Matrix(rows: n, columns: di, storage: images), Matrix(rows: n, columns: dt, storage: texts))
    }()
}

@Suite struct ProjectionTrainerTests {
    @Test func learnedProjectionFindsHeldOutImagesFromTheirTextBetterThanTheUntrainedOne() throws {
        let (images, texts) = try #require(PaintingPairs.pairs, "missing \(PaintingPairs.url.path)")
        let split = ProjectionSplit.random(count: images.rows, validationShare: 0.1, testShare: 0.2, seed: 7)
        #expect(Set(split.training).isDisjoint(with: split.test) && Set(split.validation).isDisjoint(with: split.test))
        let (learned, report) = try ProjectionTrainer.train(imageFeatures: images, textVectors: texts, split: split,
                                                            imageModel: "efficientnet", textModel: "minilm")
        let untrained = try ProjectionTrainer.untrained(imageFeatures: images, textVectors: texts, split: split)
        let testTexts = ProjectionTrainer.rows(texts, split.test)
        let testImages = ProjectionTrainer.rows(images, split.test)
        var unitTexts = testTexts
        unitTexts.normalizeRows()
        let after = RetrievalMetrics.paired(queries: unitTexts, candidates: try learned.project(testImages))
        let before = RetrievalMetrics.paired(queries: unitTexts, candidates: try untrained.project(testImages))
        // 80 held-out pairs: chance MRR ≈ 0.06, recall@10 = 0.125.
        #expect(after.queries == 80)
        #expect(after.mrr > before.mrr + 0.05, "MRR learned \(after.mrr) vs untrained \(before.mrr)")
        #expect(after.recallAt10 > before.recallAt10 + 0.1, "recall@10 learned \(after.recallAt10) vs untrained \(before.recallAt10)")
        #expect(report.bestEpoch >= 1)
        #expect(report.validation.mrr > report.untrainedValidation.mrr)
        #expect(learned.info.validation == report.validation)
    }

    @Test func trainingIsReproducibleForASeedAndDiffersAcrossSeeds() throws {
        let (images, texts) = try #require(PaintingPairs.pairs, "missing \(PaintingPairs.url.path)")
        let sub = Array(0..<120)
        let small = (ProjectionTrainer.rows(images, sub), ProjectionTrainer.rows(texts, sub))
        var options = ProjectionTrainingOptions()
        options.maxEpochs = 3
        options.batchSize = 32
        let split = ProjectionSplit.random(count: 120, validationShare: 0.2, seed: 3)
        func train(_ seed: UInt64) throws -> ImageTextProjection {
            var o = options
            o.seed = seed
            var p = try ProjectionTrainer.train(imageFeatures: small.0, textVectors: small.1, split: split, options: o,
                                                imageModel: "i", textModel: "t").0
            p.info.trainedAt = ""
            return p
        }
        let a = try train(11), b = try train(11), c = try train(12)
        #expect(a == b)
        #expect(a.weights != c.weights)
    }

    @Test func artefactRoundTripsAndDamagedFilesAreRefusedWithTheirPath() throws {
        let (images, texts) = try #require(PaintingPairs.pairs, "missing \(PaintingPairs.url.path)")
        var options = ProjectionTrainingOptions()
        options.maxEpochs = 1
        let split = ProjectionSplit.random(count: images.rows, validationShare: 0.2, seed: 1)
        let (p, _) = try ProjectionTrainer.train(imageFeatures: images, textVectors: texts, split: split, options: options,
                                                 imageModel: "efficientnet-lite0@0.1.0", textModel: "all-MiniLM-L6-v2@gt-0.1.0")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curio-projection-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("v1.projection")
        try p.write(to: url)
        let back = try ImageTextProjection.read(from: url)
        #expect(back == p)
        #expect(try back.project(images) == (try p.project(images)))

        var bytes = try Data(contentsOf: url)
        bytes.removeLast(10)
        try bytes.write(to: url)
        #expect(throws: MultimodalError.self) { try ImageTextProjection.read(from: url) }
        do {
            _ = try ImageTextProjection.read(from: url)
        } catch let error as MultimodalError {
            #expect(error.description.contains(url.path))
        }
        try Data("not a projection".utf8).write(to: url)
        #expect(throws: MultimodalError.self) { try ImageTextProjection.read(from: url) }
        #expect(throws: MultimodalError.self) { try p.project(Matrix(rows: 1, columns: 3)) }
    }

    @Test func badPairsAndOptionsAreRefused() throws {
        let images = Matrix(rows: 10, columns: 8, repeating: 1)
        let texts = Matrix(rows: 9, columns: 4, repeating: 1)
        let split = ProjectionSplit.random(count: 10, validationShare: 0.2, seed: 1)
        #expect(throws: MultimodalError.self) {
            try ProjectionTrainer.train(imageFeatures: images, textVectors: texts, split: split, imageModel: "i", textModel: "t")
        }
        let texts10 = Matrix(rows: 10, columns: 4, repeating: 1)
        #expect(throws: MultimodalError.tooFewPairs(count: 10, minimum: 17)) {
            try ProjectionTrainer.train(imageFeatures: images, textVectors: texts10, split: split, imageModel: "i", textModel: "t")
        }
        var options = ProjectionTrainingOptions()
        options.learningRate = 0
        #expect(throws: MultimodalError.self) {
            try ProjectionTrainer.train(imageFeatures: images, textVectors: texts10, split: split, options: options,
                                        imageModel: "i", textModel: "t")
        }
    }

    @Test func retrievalMetricsCountRanksAndLabelPrecision() {
        // Query i's partner is candidate i; query 1 ranks candidate 0 above its own.
        let q = Matrix(rows: 2, columns: 2, storage: [1, 0, 0.8, 0.6])
        let c = Matrix(rows: 2, columns: 2, storage: [1, 0, 0, 1])
        let s = RetrievalMetrics.paired(queries: q, candidates: c)
        #expect(s.recallAt1 == 0.5 && s.recallAt10 == 1 && abs(s.mrr - 0.75) < 1e-9)
        let v = Matrix(rows: 4, columns: 2, storage: [1, 0, 0.99, 0.14, 0, 1, 0.14, 0.99])
        let p = RetrievalMetrics.neighbourPrecision(vectors: v, labels: ["a", "a", "b", "b"], k: 1)
        #expect(p.precision == 1 && abs(p.chance - 1.0 / 3) < 1e-9 && p.queries == 4)
    }
}

@Suite struct InfoNCEGradientTests {
    /// The hand-derived gradients of the symmetric InfoNCE loss match central finite differences.
    @Test func analyticGradientsMatchFiniteDifferences() throws {
        var rng = SeededRandom(seed: 9)
        let (n, inD, outD) = (5, 6, 4)
        let x = Matrix(rows: n, columns: inD, storage: (0..<(n * inD)).map { _ in Float(rng.normal()) })
        var t = Matrix(rows: n, columns: outD, storage: (0..<(n * outD)).map { _ in Float(rng.normal()) })
        t.normalizeRows()
        let info = ProjectionInfo(imageModel: "i", textModel: "t", seed: 0, trainingPairs: 0, validationPairs: 0, epochs: 0,
                                  bestEpoch: 0, untrainedValidation: RetrievalScores(queries: 0, recallAt1: 0, recallAt10: 0, mrr: 0),
                                  validation: RetrievalScores(queries: 0, recallAt1: 0, recallAt10: 0, mrr: 0), trainedAt: "")
        let p = try ImageTextProjection(inputDimension: inD, outputDimension: outD, inputMean: [Float](repeating: 0, count: inD),
                                        inputScale: [Float](repeating: 1, count: inD),
                                        weights: (0..<(inD * outD)).map { _ in Float(rng.normal()) * 0.5 },
                                        bias: (0..<outD).map { _ in Float(rng.normal()) * 0.1 }, logitScale: 1.2, info: info)
        let analytic = ProjectionTrainer.lossAndGradients(p, images: x, texts: t)
        func loss(_ change: (inout ImageTextProjection) -> Void) -> Double {
            var q = p
            change(&q)
            return ProjectionTrainer.lossAndGradients(q, images: x, texts: t).loss
        }
        let h: Float = 1e-2
        func numeric(_ change: @escaping (inout ImageTextProjection, Float) -> Void) -> Double {
            (loss { change(&$0, h) } - loss { change(&$0, -h) }) / Double(2 * h)
        }
        for i in [0, 3, 7, 12, 23] {
            let n = numeric { $0.weights[i] += $1 }
            #expect(abs(n - Double(analytic.weights[i])) < 2e-3 + 0.02 * abs(n), "weight \(i): numeric \(n), analytic \(analytic.weights[i])")
        }
        for j in 0..<outD {
            let n = numeric { $0.bias[j] += $1 }
            #expect(abs(n - Double(analytic.bias[j])) < 2e-3 + 0.02 * abs(n), "bias \(j): numeric \(n), analytic \(analytic.bias[j])")
        }
        let ns = numeric { $0.logitScale += $1 }
        #expect(abs(ns - Double(analytic.logitScale)) < 2e-3 + 0.02 * abs(ns), "logit scale: numeric \(ns), analytic \(analytic.logitScale)")
        #expect(analytic.loss > 0)
    }
}
