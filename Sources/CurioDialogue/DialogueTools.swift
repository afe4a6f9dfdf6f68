import CurioCore
import Foundation

/// The engine functions the guide (or a language model driving it) may call. CurioKit implements these
/// with the same search, recommendation, explanation and tour code the HTTP API uses.
public protocol DialogueTools: Sendable {
    /// Free-text search over the collection; scores higher = better.
    func search(_ text: String, k: Int) -> [(id: ItemID, score: Float)]
    /// Recommendations from liked and disliked objects (content-based fold-in; works from one like).
    func recommend(liked: [ItemID], disliked: [ItemID], k: Int) -> [(id: ItemID, score: Float)]
    /// Objects similar to one object.
    func similar(to item: ItemID, k: Int) -> [(id: ItemID, score: Float)]
    /// Why `item` fits a visitor who liked `liked`: short English sentences grounded in stored facts.
    func explain(item: ItemID, liked: [ItemID]) -> [String]
    /// A tour of at most `minutes`, from interests; nil when no venue is configured.
    func planTour(minutes: Int, interests: [ItemID], text: String) throws -> TourSummary?
}

/// A planned tour as the guide reports it.
public struct TourSummary: Sendable, Codable, Equatable {
    public struct Stop: Sendable, Codable, Equatable {
        public var item: ItemID
        public var room: String
        /// The link from the previous stop ("from Constable's skies to Turner's storms").
        public var transition: String?
        public init(item: ItemID, room: String, transition: String?) {
            self.item = item
            self.room = room
            self.transition = transition
        }
    }
    public var stops: [Stop]
    public var minutes: Int
    public init(stops: [Stop], minutes: Int) {
        self.stops = stops
        self.minutes = minutes
    }
}

/// A reply of the guide.
public struct Reply: Sendable, Codable, Equatable {
    public var conversation: String
    public var intent: Intent
    /// What the guide says, in English.
    public var text: String
    /// Objects offered, each with its explanation.
    public var items: [ReplyItem]
    /// A clarifying question, when the guide asks one instead of (or as well as) recommending.
    public var question: Question?
    /// Constraints now in force, in words ("by Turner", "not 20th century").
    public var understood: [String]
    /// Tool calls made for this reply (for transparency and tests).
    public var toolCalls: [String]
    /// The tour, for visit-planning replies.
    public var tour: TourSummary?
}

/// An object in a reply, with facts from the store and why it is offered.
public struct ReplyItem: Sendable, Codable, Equatable {
    public var id: ItemID
    public var title: String
    public var makers: [String]
    public var date: String?
    public var because: [String]
}

/// Tools that answer from the dialogue catalogue alone: lexical search over item facts and
/// content similarity by shared makers, subjects, movements and period. Used by the offline engine when no
/// richer tools are supplied, in tests, and as the baseline's search.
public struct CatalogueTools: DialogueTools {
    public let catalogue: DialogueCatalogue
    private let postings: [String: [Int]]
    private let idf: [String: Float]

    public init(catalogue: DialogueCatalogue) {
        self.catalogue = catalogue
        var postings: [String: [Int]] = [:]
        for (i, f) in catalogue.items.enumerated() {
            var words = Set(TextNormalizer.tokens(f.title))
            for m in f.makers { words.formUnion(TextNormalizer.tokens(m.label)) }
            for s in f.subjects { words.formUnion(TextNormalizer.tokens(s.label)) }
            for m in f.movements { words.formUnion(TextNormalizer.tokens(m.label)) }
            words.formUnion(TextNormalizer.tokens(f.medium ?? ""))
            if let d = f.dateText { words.formUnion(TextNormalizer.tokens(d)) }
            for w in words where !TextNormalizer.stopwords.contains(w) { postings[w, default: []].append(i) }
        }
        let n = Float(max(1, catalogue.items.count))
        self.idf = postings.mapValues { log(1 + n / Float($0.count)) }
        self.postings = postings
    }

    public func search(_ text: String, k: Int) -> [(id: ItemID, score: Float)] {
        var scores: [Int: Float] = [:]
        for w in Set(TextNormalizer.tokens(text)) where !TextNormalizer.stopwords.contains(w) {
            var list = postings[w]
            if list == nil, w.hasSuffix("s") { list = postings[String(w.dropLast())] }
            guard let list, let weight = idf[w] ?? idf[String(w.dropLast())] else { continue }
            for i in list { scores[i, default: 0] += weight }
        }
        return scores.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(k)
            .map { (catalogue.items[$0.key].id, $0.value) }
    }

    /// Content overlap between two items: shared makers (3), movements (2), subjects (1 each), same decade (1).
    func overlap(_ a: ItemFacts, _ b: ItemFacts) -> Float {
        var s: Float = 0
        let am = Set(a.makers.map(\.id))
        s += 3 * Float(b.makers.filter { am.contains($0.id) }.count)
        let amv = Set(a.movements.map(\.id))
        s += 2 * Float(b.movements.filter { amv.contains($0.id) }.count)
        let asub = Set(a.subjects.map(\.id))
        s += Float(b.subjects.filter { asub.contains($0.id) }.count)
        if let ya = a.year, let yb = b.year, ya / 10 == yb / 10 { s += 1 }
        return s
    }

    public func recommend(liked: [ItemID], disliked: [ItemID], k: Int) -> [(id: ItemID, score: Float)] {
        let likes = liked.compactMap { catalogue.facts($0) }
        let dislikes = disliked.compactMap { catalogue.facts($0) }
        guard !likes.isEmpty else { return [] }
        var scored: [(id: ItemID, score: Float)] = []
        for f in catalogue.items where !liked.contains(f.id) && !disliked.contains(f.id) {
            var s: Float = 0
            for l in likes { s += overlap(l, f) }
            for d in dislikes { s -= 0.5 * overlap(d, f) }
            if s > 0 { scored.append((f.id, s)) }
        }
        return Array(scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }.prefix(k))
    }

    public func similar(to item: ItemID, k: Int) -> [(id: ItemID, score: Float)] {
        recommend(liked: [item], disliked: [], k: k)
    }

    public func explain(item: ItemID, liked: [ItemID]) -> [String] {
        guard let f = catalogue.facts(item) else { return [] }
        var out: [String] = []
        for l in liked.compactMap({ catalogue.facts($0) }) {
            if let m = f.makers.first(where: { m in l.makers.contains { $0.id == m.id } }) {
                out.append("Also by \(m.label), like \(MarkdownItalics.italic(l.title)).")
            } else if let mv = f.movements.first(where: { m in l.movements.contains { $0.id == m.id } }) {
                out.append("Part of \(mv.label), like \(MarkdownItalics.italic(l.title)).")
            } else if let s = f.subjects.first(where: { s in l.subjects.contains { $0.id == s.id } }) {
                out.append("Shows \(s.label), like \(MarkdownItalics.italic(l.title)).")
            }
            if out.count >= 2 { break }
        }
        return out
    }

    public func planTour(minutes: Int, interests: [ItemID], text: String) throws -> TourSummary? { nil }
}
