import Foundation

/// A WordPiece vocabulary: token strings and their ids (the line number in `vocab.txt`, from 0).
public struct WordPieceVocabulary: Sendable {
    /// Token strings by id.
    public let tokens: [String]
    /// Where the vocabulary came from, for error messages.
    public let source: String
    private let wordStarts: [String: Int32]
    private let continuations: [String: Int32]
    /// The longest entry, in Unicode scalars (continuations counted without their prefix).
    let longestPiece: Int
    /// The prefix marking continuation pieces (`##`).
    public let continuingSubwordPrefix: String

    /// Builds a vocabulary from tokens listed in id order.
    /// - Throws: ``NeuralError/badVocabulary(file:reason:)`` for empty lists, empty or duplicated entries.
    public init(tokens: [String], source: String, continuingSubwordPrefix: String = "##") throws {
        guard !tokens.isEmpty else { throw NeuralError.badVocabulary(file: source, reason: "it holds no tokens") }
        var starts: [String: Int32] = [:], continuations: [String: Int32] = [:]
        var seen: [String: Int] = [:]
        starts.reserveCapacity(tokens.count)
        var longest = 0
        for (i, token) in tokens.enumerated() {
            guard !token.isEmpty else {
                throw NeuralError.badVocabulary(file: source, reason: "line \(i + 1) is empty")
            }
            if let first = seen[token] {
                throw NeuralError.badVocabulary(file: source, reason:
                    "token '\(token)' appears on line \(first + 1) and again on line \(i + 1)")
            }
            seen[token] = i
            if !continuingSubwordPrefix.isEmpty, token.hasPrefix(continuingSubwordPrefix), token != continuingSubwordPrefix {
                let rest = String(token.dropFirst(continuingSubwordPrefix.count))
                continuations[rest] = Int32(i)
                longest = max(longest, rest.unicodeScalars.count)
            }
            starts[token] = Int32(i)
            longest = max(longest, token.unicodeScalars.count)
        }
        self.tokens = tokens
        self.source = source
        self.wordStarts = starts
        self.continuations = continuations
        self.longestPiece = longest
        self.continuingSubwordPrefix = continuingSubwordPrefix
    }

    /// Reads `vocab.txt`: one token per line, UTF-8, the final newline optional.
    /// - Throws: ``NeuralError/io(path:reason:)`` when unreadable, ``NeuralError/badVocabulary(file:reason:)``
    ///   when it is not UTF-8 text or its entries are empty or duplicated.
    public init(contentsOf url: URL, continuingSubwordPrefix: String = "##") throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NeuralError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NeuralError.badVocabulary(file: url.path, reason: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, source: url.path, continuingSubwordPrefix: continuingSubwordPrefix)
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The id of a whole token (as written in the vocabulary, prefix included), if present.
    public func id(of token: String) -> Int32? { wordStarts[token] }

    /// Id of a piece starting a word, or continuing one.
    @inline(__always)
    func pieceID(_ piece: String, continuing: Bool) -> Int32? {
        continuing ? continuations[piece] : wordStarts[piece]
    }
}

/// Greedy longest-match-first WordPiece: each word is split into the longest vocabulary prefix, then the longest
/// `##`-continuation, and so on; a word that cannot be covered entirely, or is longer than the limit, becomes the
/// unknown token.
public struct WordPieceTokenizer: Sendable {
    /// The vocabulary.
    public let vocabulary: WordPieceVocabulary
    /// Id of the unknown token.
    public let unknownID: Int32
    /// Words longer than this many Unicode scalars become the unknown token.
    public let maxInputCharactersPerWord: Int

    /// - Throws: ``NeuralError/badVocabulary(file:reason:)`` when `unknownToken` is not in the vocabulary.
    public init(vocabulary: WordPieceVocabulary, unknownToken: String = "[UNK]", maxInputCharactersPerWord: Int = 100) throws {
        guard let unk = vocabulary.id(of: unknownToken) else {
            throw NeuralError.badVocabulary(file: vocabulary.source, reason: "the unknown token \(unknownToken) is missing")
        }
        self.vocabulary = vocabulary
        self.unknownID = unk
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    /// Appends the ids of `word`'s pieces to `ids`.
    public func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        let n = word.count
        guard n > 0 else { return }
        guard n <= maxInputCharactersPerWord else { ids.append(unknownID); return }
        let mark = ids.count
        var start = 0
        while start < n {
            var end = min(n, start + vocabulary.longestPiece)
            var found: Int32?
            while end > start {
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: word[start..<end])
                if let id = vocabulary.pieceID(String(piece), continuing: start > 0) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.removeSubrange(mark...)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
