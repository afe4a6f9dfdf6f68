import CurioMath
import Foundation

/// Sentence embeddings from a BERT-family encoder (all-MiniLM-L6-v2 by default): tokenise, encode, mean-pool over
/// the real tokens, L2-normalise — the sentence-transformers pipeline, natively.
///
/// Usable on its own, without a store:
/// ```swift
/// let encoder = try TextEncoder.installed()
/// let query = try encoder.encode("stormy seascape at night")      // 384 floats, unit length
/// let labels = try encoder.encode(["Norham Castle, Sunrise", "The Fighting Temeraire"])
/// ```
///
/// Batches are formed by length (texts sorted by token count, packed back to back without padding) and spread over
/// ``parallelism`` worker threads, each running single-threaded BLAS; a lone short text (at most
/// ``BertModel/slicedInputTokens`` tokens) is split over the model's thread team, as many threads as
/// `BLAS.threadCount` allows (one parallel region per query, spinning barriers between steps).
/// Thread-safe: one instance can serve concurrent callers.
public struct TextEncoder: Sendable {
    /// Identifier of the model, stored with embeddings (e.g. `all-MiniLM-L6-v2@gt-0.1.0`).
    public let modelID: String
    /// The tokenizer.
    public let tokenizer: BertTokenizer
    /// The encoder network.
    public let model: BertModel
    /// Worker threads used for multi-batch calls (default: the number of active processors).
    public var parallelism: Int
    /// Upper bound on tokens per batch (packed, so this is exact work, not padded).
    public var maxBatchTokens: Int = 2048
    /// Upper bound on texts per batch.
    public var maxBatchSize: Int = 64

    /// Length of every embedding (384 for MiniLM-L6).
    public var dimension: Int { model.configuration.hiddenSize }

    /// Loads the tokenizer and weights from a model directory (`config.json`, `model.safetensors`, `vocab.txt`,
    /// `tokenizer.json`, …).
    /// - Parameter modelID: the identifier to report; by default the directory's name.
    /// - Throws: ``NeuralError`` naming the file at fault.
    public init(modelDirectory: URL, modelID: String? = nil) throws {
        let configURL = modelDirectory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw NeuralError.io(path: configURL.path, reason: "no config.json: not a model directory")
        }
        let model = try BertModel(directory: modelDirectory)
        let tokenizer = try BertTokenizer(directory: modelDirectory, maxPositions: model.configuration.maxPositions)
        guard tokenizer.wordPiece.vocabulary.count == model.configuration.vocabularySize else {
            throw NeuralError.badVocabulary(file: modelDirectory.appendingPathComponent("vocab.txt").path, reason:
                "it has \(tokenizer.wordPiece.vocabulary.count) tokens but the model has \(model.configuration.vocabularySize) embeddings")
        }
        self.tokenizer = tokenizer
        self.model = model
        self.modelID = modelID ?? modelDirectory.lastPathComponent
        self.parallelism = max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The installed all-MiniLM-L6-v2.
    /// - Throws: ``NeuralError/modelMissing(name:hint:)`` (exit code 69) saying to run `make models` /
    ///   `curio models install` when it is not installed.
    public static func installed(locator: ModelLocator = ModelLocator()) throws -> TextEncoder {
        let distribution = ModelRegistry.miniLM
        return try TextEncoder(modelDirectory: try locator.modelDirectory(of: distribution), modelID: distribution.modelID)
    }

    /// The unit-length embedding of one text.
    public func encode(_ text: String) throws -> [Float] {
        try encodeMatrix([text]).storage
    }

    /// The unit-length embeddings of `texts`, in order.
    public func encode(_ texts: [String]) throws -> [[Float]] {
        let matrix = try encodeMatrix(texts)
        return (0..<matrix.rows).map(matrix.row)
    }

    /// The embeddings of `texts` as the rows of a `texts.count × dimension` matrix.
    public func encodeMatrix(_ texts: [String]) throws -> Matrix {
        let ids = tokenize(texts)
        return try encodeMatrix(tokenized: ids)
    }

    /// Token ids of each text, computed on ``parallelism`` threads for large inputs.
    public func tokenize(_ texts: [String]) -> [[Int32]] {
        let workers = texts.count >= 256 ? parallelism : 1
        guard workers > 1 else { return texts.map(tokenizer.encode) }
        let results = SharedSlots<[Int32]>(count: texts.count, initial: [])
        let chunk = (texts.count + workers * 8 - 1) / (workers * 8)
        let chunks = (texts.count + chunk - 1) / chunk
        let next = SharedCounter()
        let work: @Sendable (Int) -> Void = { [tokenizer] _ in
            while true {
                let c = next.increment()
                guard c < chunks else { return }
                var local: [[Int32]] = []
                local.reserveCapacity(chunk)
                for i in (c * chunk)..<min(texts.count, (c + 1) * chunk) { local.append(tokenizer.encode(texts[i])) }
                results.set(chunk: c * chunk, local)
            }
        }
        // On the model's threads when free (they keep the caller's priority), else on Dispatch workers.
        if !model.runOnTeam(parts: workers, work) {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return results.values
    }

    /// Embeddings of already tokenised texts (each `[CLS] … [SEP]`), as matrix rows in input order.
    /// - Throws: ``NeuralError/invalidInput(reason:)`` for ids outside the vocabulary or over-long sequences.
    public func encodeMatrix(tokenized ids: [[Int32]]) throws -> Matrix {
        let h = dimension
        var output = Matrix(rows: ids.count, columns: h)
        guard !ids.isEmpty else { return output }
        for (n, sequence) in ids.enumerated() where sequence.count > model.configuration.maxPositions {
            throw NeuralError.invalidInput(reason:
                "text \(n) has \(sequence.count) tokens; the model takes at most \(model.configuration.maxPositions)")
        }
        let batches = Self.plan(lengths: ids.map(\.count), maxTokens: maxBatchTokens, maxSize: maxBatchSize,
                                workers: parallelism)
        let workers = min(parallelism, batches.count)
        let failure = SharedSlots<NeuralError?>(count: 1, initial: nil)
        try output.storage.withUnsafeMutableBufferPointer { out in
            let sink = RowSink(base: out.baseAddress!, width: h)
            let run: @Sendable ([Int], BertWorkspace) -> Void = { batch, workspace in
                var packed = PackedTokens()
                packed.reserveCapacity(tokens: batch.reduce(0) { $0 + ids[$1].count }, sequences: batch.count)
                for index in batch { packed.append(ids[index]) }
                do {
                    let pooled = try model.meanPooled(packed, workspace: workspace)
                    pooled.storage.withUnsafeBufferPointer { rows in
                        for (k, index) in batch.enumerated() {
                            sink.write(row: index, from: rows.baseAddress! + k * h)
                        }
                    }
                } catch let error as NeuralError {
                    failure.set(0, error)
                } catch {
                    failure.set(0, .invalidInput(reason: "\(error)"))
                }
            }
            if workers <= 1 {
                let workspace = BertWorkspace()
                for batch in batches { run(batch, workspace) }
            } else {
                let previous = BLAS.threadCount
                BLAS.setThreadCount(1)
                defer { BLAS.setThreadCount(previous) }
                let next = SharedCounter()
                let work: @Sendable (Int) -> Void = { _ in
                    let workspace = BertWorkspace()
                    while true {
                        let b = next.increment()
                        guard b < batches.count else { return }
                        run(batches[b], workspace)
                    }
                }
                // The model's own threads keep the caller's scheduling priority (Dispatch workers run at their
                // default QoS priority whatever the caller's); Dispatch when they are busy with another call.
                if !model.runOnTeam(parts: workers, work) {
                    DispatchQueue.concurrentPerform(iterations: workers, execute: work)
                }
            }
            if let error = failure.values[0] { throw error }
            for r in 0..<ids.count { TensorKernels.normalizeL2(out.baseAddress! + r * h, count: h) }
        }
        return output
    }

    /// Groups text indices into batches: sorted by token count (longest first, so the costliest work starts
    /// early and similar lengths share a batch), each batch capped at `maxTokens` tokens and `maxSize` texts.
    ///
    /// With several `workers` taking batches in turn, the last `workers` batches are split in four: a worker
    /// that runs out of batches then waits for the others' last quarter-batch at most, not a whole batch.
    static func plan(lengths: [Int], maxTokens: Int, maxSize: Int, workers: Int = 1) -> [[Int]] {
        let batches = fullBatches(lengths: lengths, maxTokens: maxTokens, maxSize: maxSize)
        guard workers > 1, batches.count > 1 else { return batches }
        let split = batches.count - min(workers, batches.count)
        var result = Array(batches[..<split])
        for batch in batches[split...] {
            let pieces = min(4, batch.count)
            for p in 0..<pieces { result.append(Array(batch[(p * batch.count / pieces)..<((p + 1) * batch.count / pieces)])) }
        }
        return result
    }

    /// ``plan(lengths:maxTokens:maxSize:workers:)`` without the split of the last batches.
    private static func fullBatches(lengths: [Int], maxTokens: Int, maxSize: Int) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $1) > (lengths[$1], $0) }
        var batches: [[Int]] = []
        var current: [Int] = [], tokens = 0
        for index in order {
            if !current.isEmpty && (tokens + lengths[index] > maxTokens || current.count >= maxSize) {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += lengths[index]
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

/// Writes rows into a shared output matrix from several threads; each row is written by exactly one batch.
private final class RowSink: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let width: Int
    init(base: UnsafeMutablePointer<Float>, width: Int) { self.base = base; self.width = width }
    func write(row: Int, from source: UnsafePointer<Float>) {
        (base + row * width).update(from: source, count: width)
    }
}

/// A lock-protected array of results filled in by worker threads.
final class SharedSlots<Value>: @unchecked Sendable {
    private var storage: [Value]
    private let lock = NSLock()
    init(count: Int, initial: Value) { storage = Array(repeating: initial, count: count) }
    func set(_ index: Int, _ value: Value) { lock.lock(); storage[index] = value; lock.unlock() }
    /// Stores `values` at `start`, `start + 1`, … under one lock.
    func set(chunk start: Int, _ values: [Value]) {
        lock.lock()
        for (k, value) in values.enumerated() { storage[start + k] = value }
        lock.unlock()
    }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// A lock-protected counter handing out work items.
final class SharedCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { value += 1; lock.unlock() }; return value }
}
