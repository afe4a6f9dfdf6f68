import Foundation

/// The complete BERT uncased tokenizer: ``BasicTokenizer`` → ``WordPieceTokenizer`` → `[CLS] … [SEP]`, truncated
/// to ``BertTokenizerConfiguration/maxLength`` tokens (special tokens included).
///
/// Reproduces the ids of the Hugging Face tokenizer shipped with the model. Thread-safe (a value type).
public struct BertTokenizer: Sendable {
    /// Settings in force.
    public let configuration: BertTokenizerConfiguration
    /// Normalisation and word splitting.
    public let basic: BasicTokenizer
    /// Sub-word splitting.
    public let wordPiece: WordPieceTokenizer
    /// Id of `[CLS]`.
    public let classID: Int32
    /// Id of `[SEP]`.
    public let separatorID: Int32
    /// Id of `[PAD]`.
    public let paddingID: Int32

    /// A tokenizer over `vocabulary` with `configuration`.
    /// - Throws: ``NeuralError/badVocabulary(file:reason:)`` when a special token is missing.
    public init(vocabulary: WordPieceVocabulary, configuration: BertTokenizerConfiguration = BertTokenizerConfiguration()) throws {
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw NeuralError.badVocabulary(file: vocabulary.source, reason: "the special token \(token) is missing")
            }
            return id
        }
        guard configuration.maxLength > 2 else {
            throw NeuralError.badConfig(file: vocabulary.source, field: "max_length", reason: "must be above 2")
        }
        self.configuration = configuration
        basic = BasicTokenizer(configuration: configuration)
        wordPiece = try WordPieceTokenizer(vocabulary: vocabulary, unknownToken: configuration.unknownToken,
                                           maxInputCharactersPerWord: configuration.maxInputCharactersPerWord)
        classID = try special(configuration.classToken)
        separatorID = try special(configuration.separatorToken)
        paddingID = try special(configuration.paddingToken)
    }

    /// Loads `vocab.txt` and the settings from a model directory, cross-checking the vocabulary against the one
    /// embedded in `tokenizer.json` when that file is present (a mismatched `vocab.txt` is refused).
    /// - Parameter maxPositions: the model's position-embedding count, an upper bound for the sequence length.
    public init(directory: URL, maxPositions: Int = 512) throws {
        let configuration = try BertTokenizerConfiguration.load(directory: directory, maxPositions: maxPositions)
        let vocabURL = directory.appendingPathComponent("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocabURL.path) else {
            throw NeuralError.io(path: vocabURL.path, reason: "vocabulary file is missing")
        }
        let vocabulary = try WordPieceVocabulary(contentsOf: vocabURL,
                                                 continuingSubwordPrefix: configuration.continuingSubwordPrefix)
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: tokenizerURL.path) {
            let json = try BertTokenizerConfiguration.readObject(tokenizerURL)
            if let model = json["model"] as? [String: Any], let embedded = model["vocab"] as? [String: Any] {
                guard embedded.count == vocabulary.count else {
                    throw NeuralError.badVocabulary(file: vocabURL.path, reason:
                        "it has \(vocabulary.count) tokens but tokenizer.json has \(embedded.count) (wrong vocab.txt?)")
                }
                for (token, value) in embedded {
                    guard let id = value as? Int, vocabulary.id(of: token).map(Int.init) == id else {
                        throw NeuralError.badVocabulary(file: vocabURL.path, reason:
                            "token '\(token)' has id \(value) in tokenizer.json but \(vocabulary.id(of: token).map(String.init) ?? "none") here (wrong vocab.txt?)")
                    }
                }
            }
        }
        try self.init(vocabulary: vocabulary, configuration: configuration)
    }

    /// Token ids of `text`: `[CLS]`, the word pieces (at most `maxLength − 2`), `[SEP]`.
    public func encode(_ text: String) -> [Int32] {
        let budget = configuration.maxLength - 2
        var ids: [Int32] = [classID]
        ids.reserveCapacity(min(budget + 2, text.utf8.count + 2))
        for word in basic.words(text) {
            wordPiece.appendPieces(of: word, to: &ids)
            if ids.count > budget { break }
        }
        if ids.count > budget + 1 { ids.removeSubrange((budget + 1)...) }
        ids.append(separatorID)
        return ids
    }

    /// The token strings of `text` (for inspection and debugging), special tokens included.
    public func tokens(_ text: String) -> [String] {
        encode(text).map { wordPiece.vocabulary.tokens[Int($0)] }
    }
}
