import Foundation

/// The architecture of a BERT encoder, from the model's `config.json` (Hugging Face format).
public struct BertConfiguration: Sendable, Equatable {
    /// Width of every hidden state (384 for MiniLM-L6).
    public var hiddenSize: Int
    /// Number of transformer layers.
    public var layerCount: Int
    /// Attention heads per layer; `hiddenSize` must be a multiple.
    public var headCount: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Vocabulary size (rows of the word-embedding table).
    public var vocabularySize: Int
    /// Number of learned positions, the longest possible sequence.
    public var maxPositions: Int
    /// Rows of the token-type (segment) table.
    public var typeVocabularySize: Int
    /// Epsilon of every LayerNorm.
    public var layerNormEpsilon: Float

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// A configuration with explicit values.
    public init(hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, vocabularySize: Int,
                maxPositions: Int, typeVocabularySize: Int, layerNormEpsilon: Float) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads `config.json`.
    /// - Throws: ``NeuralError/badConfig(file:field:reason:)`` when a field is missing or unsupported
    ///   (activation other than exact `gelu`, non-absolute positions, a hidden size not divisible by the heads).
    public init(contentsOf url: URL) throws {
        let json = try BertTokenizerConfiguration.readObject(url)
        let file = url.path
        func integer(_ key: String) throws -> Int {
            guard let value = json[key] as? Int, value > 0 else {
                throw NeuralError.badConfig(file: file, field: key, reason: "must be a positive integer, found \(json[key] ?? "nothing")")
            }
            return value
        }
        if let type = json["model_type"] as? String, type != "bert" {
            throw NeuralError.badConfig(file: file, field: "model_type", reason: "'\(type)' is not supported; expected bert")
        }
        let activation = json["hidden_act"] as? String ?? "gelu"
        guard activation == "gelu" else {
            throw NeuralError.badConfig(file: file, field: "hidden_act", reason: "'\(activation)' is not supported; expected gelu")
        }
        if let positions = json["position_embedding_type"] as? String, positions != "absolute" {
            throw NeuralError.badConfig(file: file, field: "position_embedding_type",
                                        reason: "'\(positions)' is not supported; expected absolute")
        }
        let epsilon = (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        guard epsilon > 0 else {
            throw NeuralError.badConfig(file: file, field: "layer_norm_eps", reason: "must be positive")
        }
        self.init(hiddenSize: try integer("hidden_size"), layerCount: try integer("num_hidden_layers"),
                  headCount: try integer("num_attention_heads"), intermediateSize: try integer("intermediate_size"),
                  vocabularySize: try integer("vocab_size"), maxPositions: try integer("max_position_embeddings"),
                  typeVocabularySize: (json["type_vocab_size"] as? Int) ?? 2, layerNormEpsilon: epsilon)
        guard hiddenSize % headCount == 0 else {
            throw NeuralError.badConfig(file: file, field: "num_attention_heads",
                                        reason: "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
        guard typeVocabularySize >= 1 else {
            throw NeuralError.badConfig(file: file, field: "type_vocab_size", reason: "must be at least 1")
        }
    }
}
