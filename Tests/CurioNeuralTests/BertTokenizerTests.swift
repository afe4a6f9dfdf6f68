import Foundation
import Testing
@testable import CurioNeural

@Suite("BERT WordPiece tokenizer")
struct BertTokenizerTests {
    static let tokenizer: Result<BertTokenizer, any Error> = Result {
        try BertTokenizer(directory: NeuralTestSupport.miniLMDirectory())
    }

    @Test func referenceFileHasFortyCases() {
        #expect(NeuralTestSupport.referenceCases.count == 40)
    }

    @Test("produces the reference input_ids", arguments: 0..<40)
    func matchesReferenceIDs(index: Int) throws {
        let tokenizer = try Self.tokenizer.get()
        let cases = NeuralTestSupport.referenceCases
        try #require(index < cases.count, "reference.json not found under \(NeuralTestSupport.shared.path)")
        let reference = cases[index]
        #expect(tokenizer.encode(reference.text) == reference.input_ids, "text: \(reference.text.debugDescription)")
    }

    @Test func matchesTheReferenceTokenizerOnTateCatalogueText() throws {
        // 534 titles, media, names, inscriptions and credit lines (many with accents, quotes, dashes),
        // with ids from the model's own Hugging Face tokenizer (see Fixtures/make_tate_tokenizer_cases.py).
        struct Case: Decodable { let text: String; let ids: [Int32] }
        let tokenizer = try Self.tokenizer.get()
        let url = NeuralTestSupport.fixtures.appendingPathComponent("tate-tokenizer-cases.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 534)
        var mismatches: [String] = []
        for line in lines {
            let c = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            if tokenizer.encode(c.text) != c.ids { mismatches.append(c.text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func readsSettingsFromTheModelDirectory() throws {
        let config = try Self.tokenizer.get().configuration
        #expect(config.lowercase && config.stripAccents && config.cleanText && config.handleChineseCharacters)
        #expect(config.maxLength == 256)
        #expect(config.maxInputCharactersPerWord == 100)
    }

    @Test func truncatesToTheMaximumLengthWithSeparatorLast() throws {
        let tokenizer = try Self.tokenizer.get()
        let ids = tokenizer.encode(String(repeating: "painting of the sea ", count: 200))
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.classID && ids.last == tokenizer.separatorID)
    }

    @Test func overlongWordsBecomeUnknown() throws {
        let tokenizer = try Self.tokenizer.get()
        let ids = tokenizer.encode(String(repeating: "a", count: 101) + " sea")
        #expect(ids == [tokenizer.classID, tokenizer.wordPiece.unknownID, try #require(tokenizer.wordPiece.vocabulary.id(of: "sea")), tokenizer.separatorID])
        #expect(tokenizer.encode(String(repeating: "a", count: 100)).count > 3)
    }

    @Test func cleansControlsAndSplitsCJKAndPunctuation() {
        let basic = BasicTokenizer()
        #expect(basic.words("a\u{0}b\u{FFFD}c\u{200B}d\u{E000}e").map { String(String.UnicodeScalarView($0)) } == ["abcde"])
        #expect(basic.words("東京,Paris").map { String(String.UnicodeScalarView($0)) } == ["東", "京", ",", "paris"])
        #expect(basic.words("Crème\u{2028}BRÛLÉE").map { String(String.UnicodeScalarView($0)) } == ["creme", "brulee"])
        #expect(basic.words("ΣΑΣ").map { String(String.UnicodeScalarView($0)) } == ["σασ"])
    }

    @Test func vocabularyWithoutSpecialTokensIsRefused() throws {
        let dir = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("vocab.txt")
        try Data("hello\nworld\n##s\n[UNK]\n".utf8).write(to: url)
        let vocabulary = try WordPieceVocabulary(contentsOf: url)
        #expect(throws: NeuralError.badVocabulary(file: url.path, reason: "the special token [CLS] is missing")) {
            try BertTokenizer(vocabulary: vocabulary)
        }
    }

    @Test func duplicatedOrBinaryVocabularyIsRefused() throws {
        let dir = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dup = dir.appendingPathComponent("dup.txt")
        try Data("[UNK]\nsea\nsky\nsea\n".utf8).write(to: dup)
        #expect(throws: NeuralError.badVocabulary(file: dup.path, reason: "token 'sea' appears on line 2 and again on line 4")) {
            try WordPieceVocabulary(contentsOf: dup)
        }
        let binary = dir.appendingPathComponent("binary.txt")
        try Data([0xFF, 0xFE, 0x00, 0x80, 0x0A]).write(to: binary)
        #expect(throws: NeuralError.badVocabulary(file: binary.path, reason: "not UTF-8 text")) {
            try WordPieceVocabulary(contentsOf: binary)
        }
    }

    @Test func vocabularyThatDisagreesWithTokenizerJSONIsRefused() throws {
        // A model directory whose vocab.txt is another model's (here: two lines swapped).
        let source = try NeuralTestSupport.miniLMDirectory()
        let dir = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        var lines = try String(contentsOf: source.appendingPathComponent("vocab.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        lines.swapAt(2000, 2001)
        try Data(lines.joined(separator: "\n").utf8).write(to: dir.appendingPathComponent("vocab.txt"))
        do {
            _ = try BertTokenizer(directory: dir)
            Issue.record("a mismatched vocabulary was accepted")
        } catch let error as NeuralError {
            guard case let .badVocabulary(file, reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(file.hasSuffix("vocab.txt"))
            #expect(reason.contains("tokenizer.json"))
        }
    }
}
