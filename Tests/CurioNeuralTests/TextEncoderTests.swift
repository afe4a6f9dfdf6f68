import CurioMath
import Foundation
import Testing
@testable import CurioNeural

@Suite("MiniLM sentence encoder")
struct TextEncoderTests {
    /// Loaded once for the suite: the installed all-MiniLM-L6-v2 (run `make models` if this fails).
    static let encoder: Result<TextEncoder, any Error> = Result { try TextEncoder.installed() }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    static func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    @Test func reportsModelIdentityAndDimension() throws {
        let encoder = try Self.encoder.get()
        #expect(encoder.modelID == "all-MiniLM-L6-v2@gt-0.1.0")
        #expect(encoder.dimension == 384)
        #expect(encoder.model.configuration.layerCount == 6)
    }

    @Test func allFortyReferenceEmbeddingsMatchInOneBatchedCall() throws {
        let encoder = try Self.encoder.get()
        let cases = NeuralTestSupport.referenceCases
        try #require(cases.count == 40)
        let embeddings = try encoder.encode(cases.map(\.text))
        var worstCosine: Float = 1, worstDiff: Float = 0
        for (i, reference) in cases.enumerated() {
            worstCosine = min(worstCosine, Self.cosine(embeddings[i], reference.embedding))
            worstDiff = max(worstDiff, Self.maxAbsDiff(embeddings[i], reference.embedding))
        }
        print("MiniLM fixture agreement: worst cosine \(worstCosine), worst max-abs-diff \(worstDiff)")
        for (i, reference) in cases.enumerated() {
            let cosine = Self.cosine(embeddings[i], reference.embedding)
            let diff = Self.maxAbsDiff(embeddings[i], reference.embedding)
            #expect(cosine >= 0.99999, "case \(i) \(reference.text.prefix(40).debugDescription): cosine \(cosine)")
            #expect(diff <= 1e-4, "case \(i) \(reference.text.prefix(40).debugDescription): max abs diff \(diff)")
        }
    }

    /// A lone short text takes the sliced path for few tokens (`BertModel.slicedInputTokens`), with the
    /// products split into column slices over BLAS threads; it must match the reference as closely.
    @Test func shortReferenceTextsEncodedOneByOneMatchTheReference() throws {
        let encoder = try Self.encoder.get()
        let cases = NeuralTestSupport.referenceCases.filter { $0.input_ids.count <= BertModel.slicedInputTokens }
        try #require(cases.count >= 10)
        for reference in cases {
            let embedding = try encoder.encode(reference.text)
            let cosine = Self.cosine(embedding, reference.embedding)
            let diff = Self.maxAbsDiff(embedding, reference.embedding)
            #expect(cosine >= 0.99999, "\(reference.text.prefix(40).debugDescription): cosine \(cosine)")
            #expect(diff <= 1e-4, "\(reference.text.prefix(40).debugDescription): max abs diff \(diff)")
        }
    }

    /// Lone short queries from many threads at once: one caller at a time gets the model's thread team, the others
    /// run on their own thread; every answer must match the reference.
    @Test func concurrentLoneQueriesMatchTheReference() throws {
        let encoder = try Self.encoder.get()
        let cases = NeuralTestSupport.referenceCases.filter { $0.input_ids.count <= BertModel.slicedInputTokens }
        try #require(cases.count >= 4)
        let worst = SharedSlots<Float>(count: cases.count * 4, initial: 0)
        DispatchQueue.concurrentPerform(iterations: cases.count * 4) { i in
            let reference = cases[i % cases.count]
            let embedding = (try? encoder.encode(reference.text)) ?? []
            worst.set(i, embedding.count == 384 ? Self.maxAbsDiff(embedding, reference.embedding) : .infinity)
        }
        let largest = worst.values.max() ?? .infinity
        #expect(largest <= 1e-4, "max abs diff \(largest)")
    }

    /// 256 texts or more are tokenised on several threads; the ids must come back in input order.
    @Test func parallelTokenisationKeepsInputOrder() throws {
        let encoder = try Self.encoder.get()
        let texts = (0..<300).map { "\(NeuralTestSupport.referenceCases[$0 % 40].text) \($0)" }
        #expect(encoder.tokenize(texts) == texts.map(encoder.tokenizer.encode))
    }

    @Test func unnormalisedMeanPoolingMatchesTheReference() throws {
        let encoder = try Self.encoder.get()
        let cases = Array(NeuralTestSupport.referenceCases.prefix(12))
        let pooled = try encoder.model.meanPooled(PackedTokens(cases.map(\.input_ids)))
        for (i, reference) in cases.enumerated() {
            let row = Array(pooled.storage[(i * 384)..<((i + 1) * 384)])
            #expect(Self.maxAbsDiff(row, reference.mean_pooled_unnormalized) <= 1e-4, "case \(i)")
        }
    }

    @Test func singleTextEncodingEqualsBatchedEncoding() throws {
        let encoder = try Self.encoder.get()
        let texts = ["Norham Castle, Sunrise", "A bronze statue of a horse from the Roman period.", ""]
        let batched = try encoder.encode(texts)
        for (i, text) in texts.enumerated() {
            let single = try encoder.encode(text)
            #expect(Self.maxAbsDiff(single, batched[i]) <= 1e-5)
            #expect(Swift.abs(single.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
    }

    @Test func paddedBatchWithAttentionMaskEqualsPackedSequences() throws {
        let model = try Self.encoder.get().model
        let sequences = NeuralTestSupport.referenceCases.prefix(5).map(\.input_ids)
        let batch = TokenBatch(sequences: Array(sequences), paddingID: 0)
        #expect(batch.length == sequences.map(\.count).max())
        let padded = try model.meanPooled(batch)
        let packed = try model.meanPooled(PackedTokens(Array(sequences)))
        #expect(Self.maxAbsDiff(padded.storage, packed.storage) <= 1e-6)
        // Left padding: same tokens shifted right, positions follow the mask as in Hugging Face.
        let states = try model.hiddenStates(batch)
        #expect(states.shape == [5, batch.length, 384])
        let lastRow = (4 * batch.length + batch.length - 1) * 384
        if sequences[4].count < batch.length {
            #expect(states.storage[lastRow..<(lastRow + 384)].allSatisfy { $0 == 0 }, "masked positions are zero")
        }
    }

    @Test func emptyInputGivesNoRows() throws {
        let encoder = try Self.encoder.get()
        #expect(try encoder.encode([String]()).isEmpty)
        #expect(try encoder.encodeMatrix([]).rows == 0)
    }

    @Test func tokenIDsOutsideTheVocabularyAreRejected() throws {
        let encoder = try Self.encoder.get()
        #expect(throws: NeuralError.self) { try encoder.encodeMatrix(tokenized: [[101, 40000, 102]]) }
        #expect(throws: NeuralError.self) { try encoder.encodeMatrix(tokenized: [[Int32]](repeating: [Int32](repeating: 1000, count: 600), count: 1)) }
        #expect(throws: NeuralError.self) {
            try TokenBatch(ids: [101, 102], attentionMask: [1], sequenceCount: 1, length: 2)
        }
    }

    @Test func theLastBatchesAreSplitForSeveralWorkers() {
        let lengths = (0..<40).map { 100 + $0 }
        let whole = TextEncoder.plan(lengths: lengths, maxTokens: 1000, maxSize: 64)
        let split = TextEncoder.plan(lengths: lengths, maxTokens: 1000, maxSize: 64, workers: 2)
        #expect(split.flatMap { $0 } == whole.flatMap { $0 })  // same texts, same order
        #expect(Array(split.prefix(whole.count - 2)) == Array(whole.prefix(whole.count - 2)))
        let pieces = whole.suffix(2).reduce(0) { $0 + min(4, $1.count) }
        #expect(whole.suffix(2).contains { $0.count >= 4 })
        #expect(split.count == whole.count - 2 + pieces)
        let largest = whole.suffix(2).map(\.count).max()!
        #expect(split.suffix(pieces).allSatisfy { !$0.isEmpty && $0.count <= (largest + 3) / 4 })
    }

    @Test func batchesFollowLengthOrderAndRespectBudgets() {
        let lengths = [5, 300, 7, 6, 120, 5, 9]
        let batches = TextEncoder.plan(lengths: lengths, maxTokens: 310, maxSize: 3)
        #expect(batches.flatMap { $0 }.sorted() == Array(lengths.indices))
        #expect(batches.first == [1])
        for batch in batches {
            #expect(batch.count <= 3)
            #expect(batch.count == 1 || batch.reduce(0) { $0 + lengths[$1] } <= 310)
        }
    }
}
