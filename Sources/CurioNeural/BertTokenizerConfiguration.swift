import Foundation

/// Settings of a BERT WordPiece tokenizer, read from a model directory's `tokenizer.json` (Hugging Face
/// `tokenizers` format) and `sentence_bert_config.json`, with `tokenizer_config.json` as a fallback.
public struct BertTokenizerConfiguration: Sendable, Equatable {
    /// Lower-case the text (per Unicode scalar, without context, as the reference tokenizer does).
    public var lowercase = true
    /// Decompose to NFD and drop non-spacing marks (accents). Defaults to ``lowercase`` when unspecified.
    public var stripAccents = true
    /// Remove control and format characters, U+0000 and U+FFFD; turn every kind of whitespace into a space.
    public var cleanText = true
    /// Make every CJK ideograph a word of its own.
    public var handleChineseCharacters = true
    /// Token for pieces outside the vocabulary.
    public var unknownToken = "[UNK]"
    /// Token opening every sequence.
    public var classToken = "[CLS]"
    /// Token closing every sequence.
    public var separatorToken = "[SEP]"
    /// Token used to pad batches.
    public var paddingToken = "[PAD]"
    /// Prefix of word pieces that continue a word.
    public var continuingSubwordPrefix = "##"
    /// Words longer than this many Unicode scalars become a single unknown token.
    public var maxInputCharactersPerWord = 100
    /// Maximum sequence length, special tokens included; longer texts are truncated.
    public var maxLength = 256

    /// The BERT-uncased defaults (those of all-MiniLM-L6-v2).
    public init() {}

    /// Reads the settings from the files present in `directory`.
    ///
    /// `tokenizer.json` must describe a `BertNormalizer`, a `BertPreTokenizer` and a `WordPiece` model when present;
    /// the sentence length comes from `sentence_bert_config.json` (`max_seq_length`, what sentence-transformers
    /// uses), else `tokenizer_config.json` (`model_max_length`), capped at `maxPositions`.
    /// - Throws: ``NeuralError/badConfig(file:field:reason:)`` for unreadable or unsupported settings.
    public static func load(directory: URL, maxPositions: Int) throws -> BertTokenizerConfiguration {
        var config = BertTokenizerConfiguration()
        config.maxLength = maxPositions
        let fm = FileManager.default
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        let legacyURL = directory.appendingPathComponent("tokenizer_config.json")
        var stripAccentsSetting: Bool?
        if fm.fileExists(atPath: tokenizerURL.path) {
            let json = try readObject(tokenizerURL)
            let file = tokenizerURL.path
            if let normalizer = json["normalizer"] as? [String: Any] {
                guard normalizer["type"] as? String == "BertNormalizer" else {
                    throw NeuralError.badConfig(file: file, field: "normalizer.type",
                                                reason: "'\(normalizer["type"] ?? "none")' is not supported; expected BertNormalizer")
                }
                config.cleanText = normalizer["clean_text"] as? Bool ?? true
                config.handleChineseCharacters = normalizer["handle_chinese_chars"] as? Bool ?? true
                config.lowercase = normalizer["lowercase"] as? Bool ?? true
                stripAccentsSetting = normalizer["strip_accents"] as? Bool
            }
            if let pre = json["pre_tokenizer"] as? [String: Any], pre["type"] as? String != "BertPreTokenizer" {
                throw NeuralError.badConfig(file: file, field: "pre_tokenizer.type",
                                            reason: "'\(pre["type"] ?? "none")' is not supported; expected BertPreTokenizer")
            }
            guard let model = json["model"] as? [String: Any], model["type"] as? String == "WordPiece" else {
                throw NeuralError.badConfig(file: file, field: "model.type", reason: "only WordPiece models are supported")
            }
            if let unk = model["unk_token"] as? String { config.unknownToken = unk }
            if let prefix = model["continuing_subword_prefix"] as? String { config.continuingSubwordPrefix = prefix }
            if let limit = model["max_input_chars_per_word"] as? Int, limit > 0 { config.maxInputCharactersPerWord = limit }
        } else if fm.fileExists(atPath: legacyURL.path) {
            let json = try readObject(legacyURL)
            config.lowercase = json["do_lower_case"] as? Bool ?? true
            stripAccentsSetting = json["strip_accents"] as? Bool
            config.handleChineseCharacters = json["tokenize_chinese_chars"] as? Bool ?? true
        }
        config.stripAccents = stripAccentsSetting ?? config.lowercase
        if fm.fileExists(atPath: legacyURL.path) {
            let json = try readObject(legacyURL)
            for (key, keyPath) in [("unk_token", \BertTokenizerConfiguration.unknownToken),
                                   ("cls_token", \.classToken), ("sep_token", \.separatorToken),
                                   ("pad_token", \.paddingToken)] {
                if let token = json[key] as? String { config[keyPath: keyPath] = token }
            }
            if let length = json["model_max_length"] as? Int, length > 2 { config.maxLength = min(config.maxLength, length) }
        }
        let sentenceURL = directory.appendingPathComponent("sentence_bert_config.json")
        if fm.fileExists(atPath: sentenceURL.path) {
            let json = try readObject(sentenceURL)
            if let length = json["max_seq_length"] {
                guard let n = length as? Int, n > 2 else {
                    throw NeuralError.badConfig(file: sentenceURL.path, field: "max_seq_length",
                                                reason: "must be an integer above 2, found \(length)")
                }
                config.maxLength = n
            }
        }
        guard config.maxLength <= maxPositions else {
            throw NeuralError.badConfig(file: sentenceURL.path, field: "max_seq_length",
                                        reason: "\(config.maxLength) exceeds the model's \(maxPositions) positions")
        }
        return config
    }

    static func readObject(_ url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NeuralError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NeuralError.badConfig(file: url.path, field: "(file)", reason: "not a JSON object")
        }
        return object
    }
}
