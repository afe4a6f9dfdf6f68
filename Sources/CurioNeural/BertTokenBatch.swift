/// Token sequences laid out back to back, each with its own position ids — the encoder's native input.
///
/// Packing is what makes batching free of padding waste: the dense layers run over exactly the real tokens of all
/// sequences, and attention runs within each sequence's own span (which is what a padding mask expresses).
public struct PackedTokens: Sendable, Equatable {
    /// Token ids of all sequences, concatenated.
    public private(set) var tokenIDs: [Int32] = []
    /// The position id of each token (its index in its original, possibly padded, sequence).
    public private(set) var positions: [Int32] = []
    /// `offsets[s]..<offsets[s + 1]` is sequence `s`'s span; `offsets.count == sequenceCount + 1`.
    public private(set) var offsets: [Int] = [0]

    /// An empty batch.
    public init() {}

    /// Packs whole sequences (positions 0, 1, 2, …).
    public init(_ sequences: [[Int32]]) {
        reserveCapacity(tokens: sequences.reduce(0) { $0 + $1.count }, sequences: sequences.count)
        for s in sequences { append(s) }
    }

    /// Reserves room for this many tokens and sequences.
    public mutating func reserveCapacity(tokens: Int, sequences: Int) {
        tokenIDs.reserveCapacity(tokens)
        positions.reserveCapacity(tokens)
        offsets.reserveCapacity(sequences + 1)
    }

    /// Appends a sequence with positions 0, 1, 2, ….
    public mutating func append(_ ids: [Int32]) {
        tokenIDs.append(contentsOf: ids)
        positions.append(contentsOf: (0..<Int32(ids.count)))
        offsets.append(tokenIDs.count)
    }

    /// Appends a sequence whose tokens carry explicit position ids (`ids.count == positions.count`).
    public mutating func append(_ ids: [Int32], positions: [Int32]) {
        precondition(ids.count == positions.count)
        tokenIDs.append(contentsOf: ids)
        self.positions.append(contentsOf: positions)
        offsets.append(tokenIDs.count)
    }

    /// Number of sequences.
    public var sequenceCount: Int { offsets.count - 1 }
    /// Total number of tokens.
    public var tokenCount: Int { tokenIDs.count }
    /// Length of sequence `s`.
    public func length(of s: Int) -> Int { offsets[s + 1] - offsets[s] }
    /// The longest sequence's length.
    public var longest: Int { (0..<sequenceCount).map(length(of:)).max() ?? 0 }
}

/// A padded batch in the usual `input_ids` + `attention_mask` layout (sequenceCount × length, row-major).
///
/// Positions whose mask is 0 are ignored: other tokens do not attend to them, they get no output, and they do not
/// count in mean pooling. Masked positions may be anywhere (right or left padding).
public struct TokenBatch: Sendable, Equatable {
    /// Number of sequences (rows).
    public let sequenceCount: Int
    /// Padded length (columns).
    public let length: Int
    /// Token ids, row-major.
    public let ids: [Int32]
    /// 1 where the token is real, 0 for padding; row-major.
    public let attentionMask: [Int32]

    /// Right-pads `sequences` with `paddingID` to the longest one.
    public init(sequences: [[Int32]], paddingID: Int32) {
        let length = sequences.map(\.count).max() ?? 0
        var ids = [Int32](repeating: paddingID, count: sequences.count * length)
        var mask = [Int32](repeating: 0, count: sequences.count * length)
        for (s, sequence) in sequences.enumerated() {
            for (i, id) in sequence.enumerated() {
                ids[s * length + i] = id
                mask[s * length + i] = 1
            }
        }
        self.sequenceCount = sequences.count
        self.length = length
        self.ids = ids
        self.attentionMask = mask
    }

    /// Wraps existing arrays.
    /// - Throws: ``NeuralError/invalidInput(reason:)`` when sizes disagree or the mask holds values other than 0/1.
    public init(ids: [Int32], attentionMask: [Int32], sequenceCount: Int, length: Int) throws {
        guard sequenceCount >= 0, length >= 0, ids.count == sequenceCount * length,
              attentionMask.count == ids.count else {
            throw NeuralError.invalidInput(reason:
                "ids (\(ids.count)) and attention mask (\(attentionMask.count)) must both hold \(sequenceCount) × \(length) values")
        }
        guard attentionMask.allSatisfy({ $0 == 0 || $0 == 1 }) else {
            throw NeuralError.invalidInput(reason: "attention mask values must be 0 or 1")
        }
        self.sequenceCount = sequenceCount
        self.length = length
        self.ids = ids
        self.attentionMask = attentionMask
    }

    /// The unmasked tokens of each row, packed, keeping their original positions.
    public func packed() -> PackedTokens {
        var packed = PackedTokens()
        packed.reserveCapacity(tokens: attentionMask.reduce(0) { $0 + Int($1) }, sequences: sequenceCount)
        for s in 0..<sequenceCount {
            var rowIDs: [Int32] = [], rowPositions: [Int32] = []
            for i in 0..<length where attentionMask[s * length + i] != 0 {
                rowIDs.append(ids[s * length + i])
                rowPositions.append(Int32(i))
            }
            packed.append(rowIDs, positions: rowPositions)
        }
        return packed
    }
}
