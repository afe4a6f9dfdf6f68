import CurioCore
import Foundation

/// Links words in a visitor's message to makers, subjects, movements, places, media and colours of the
/// collection.
///
/// Matching is on folded text (case and accents ignored), longest phrase first, without overlaps:
/// "William Turner of Oxford" links to that maker, while "Turner" alone links to the Turner with the most
/// works in the collection (the others are kept as alternatives). Single words may match with small
/// spelling mistakes (`Rosetti` → Rossetti). An optional semantic matcher (MiniLM similarity between the
/// words and concept labels, supplied by CurioKit) links words with no literal match (`stormy` → storm).
public struct EntityLinker: Sendable {
    /// Semantic fallback: given an unmatched phrase, concept candidates with cosine scores.
    public typealias SemanticMatcher = @Sendable (String) -> [(entity: EntityRef, score: Float)]

    private struct Key: Sendable {
        var entity: EntityRef
        /// Prior: how many items carry the entity.
        var weight: Double
        /// 1 for full labels, lower for derived keys (surnames).
        var quality: Double
    }

    private let phrases: [String: [Key]]
    /// Single-word keys for spelling mistakes, by first letter and length in letters: (word, its best reading),
    /// in word order — a misspelt word is compared only with words of its first letter and about its length.
    private let fuzzy: [Character: [Int: [(word: String, key: Key)]]]
    private let maxPhraseLength: Int
    private let semantic: SemanticMatcher?
    private let semanticThreshold: Float

    /// Colour words recognised in requests, mapped to palette colour names.
    public static let colourWords: [String: String] = [
        "red": "red", "reds": "red", "crimson": "red", "scarlet": "red", "orange": "orange", "yellow": "yellow",
        "golden": "yellow", "gold": "yellow", "green": "green", "greens": "green", "blue": "blue", "blues": "blue",
        "purple": "purple", "violet": "purple", "pink": "pink", "brown": "brown", "black": "black", "white": "white",
        "grey": "grey", "gray": "grey",
    ]

    /// Builds the index from the catalogue.
    public init(catalogue: DialogueCatalogue, semantic: SemanticMatcher? = nil, semanticThreshold: Float = 0.55) {
        var counts: [EntityRef: Double] = [:]
        for f in catalogue.items {
            for m in f.makers { counts[EntityRef(kind: .maker, id: m.id, label: m.label), default: 0] += 1 }
            for s in f.subjects { counts[EntityRef(kind: .subject, id: s.id, label: s.label), default: 0] += 1 }
            for m in f.movements { counts[EntityRef(kind: .movement, id: m.id, label: m.label), default: 0] += 1 }
            for p in f.places { counts[EntityRef(kind: .place, id: p.id, label: p.label), default: 0] += 1 }
            for t in f.mediumTerms { counts[EntityRef(kind: .medium, id: t, label: t), default: 0] += 1 }
        }
        var phrases: [String: [Key]] = [:]
        var words: [String: [Key]] = [:]
        func add(_ text: String, _ entity: EntityRef, _ weight: Double, quality: Double) {
            let key = TextNormalizer.fold(text)
            guard !key.isEmpty, !TextNormalizer.stopwords.contains(key) else { return }
            phrases[key, default: []].append(Key(entity: entity, weight: weight, quality: quality))
            if !key.contains(" ") { words[key, default: []].append(Key(entity: entity, weight: weight, quality: quality)) }
        }
        for (entity, weight) in counts {
            add(entity.label, entity, weight, quality: 1)
            switch entity.kind {
            case .maker:
                let tokens = TextNormalizer.tokens(entity.label)
                if tokens.count >= 2, let last = tokens.last, last.count >= 3 {
                    add(last, entity, weight, quality: 0.8)
                    add("\(tokens[0]) \(last)", entity, weight, quality: 0.9)
                    // Initials: "JMW Turner", "J.M.W. Turner".
                    let initials = tokens.dropLast().map { String($0.prefix(1)) }.joined()
                    add("\(initials) \(last)", entity, weight, quality: 0.9)
                    add(tokens.dropLast().map { String($0.prefix(1)) }.joined(separator: " ") + " " + last, entity, weight, quality: 0.9)
                }
                // "William Turner of Oxford": the family name stands before "of"; it answers to "Turner" too.
                if let of = tokens.firstIndex(of: "of"), of >= 1, tokens[of - 1].count >= 3 {
                    add(tokens[of - 1], entity, weight, quality: 0.8)
                    add(tokens[..<of].joined(separator: " "), entity, weight, quality: 0.9)
                }
                for alias in catalogue.agentAliases[entity.id] ?? [] { add(alias, entity, weight, quality: 0.95) }
            case .subject:
                // "sea: calm" style labels also answer to their head word.
                if let head = entity.label.split(separator: ":").first, head.count < entity.label.count {
                    add(String(head), entity, weight, quality: 0.7)
                }
                // Plurals: "horses" → horse.
                add(entity.label + "s", entity, weight, quality: 0.95)
            case .medium:
                if entity.id == "oil paint" { add("oil", entity, weight, quality: 0.9); add("oils", entity, weight, quality: 0.9) }
                if entity.id == "watercolour" { add("watercolours", entity, weight, quality: 1); add("watercolor", entity, weight, quality: 1) }
                if entity.id == "photograph" { add("photographs", entity, weight, quality: 1); add("photo", entity, weight, quality: 0.9); add("photography", entity, weight, quality: 0.9) }
                add(entity.id + "s", entity, weight, quality: 0.95)
            default:
                break
            }
        }
        for (word, colour) in Self.colourWords {
            add(word, EntityRef(kind: .colour, id: colour, label: colour), 1, quality: 1)
        }
        // Best reading first: quality, then how many items carry it, then id for determinism.
        for key in phrases.keys {
            phrases[key]!.sort { ($0.quality, $0.weight, $1.entity.id) > ($1.quality, $1.weight, $0.entity.id) }
        }
        for key in words.keys {
            words[key]!.sort { ($0.quality, $0.weight, $1.entity.id) > ($1.quality, $1.weight, $0.entity.id) }
        }
        self.phrases = phrases
        var fuzzy: [Character: [Int: [(word: String, key: Key)]]] = [:]
        for word in words.keys.sorted() {
            guard let first = word.first, let best = words[word]?.first else { continue }
            fuzzy[first, default: [:]][word.count, default: []].append((word, best))
        }
        self.fuzzy = fuzzy
        self.maxPhraseLength = min(8, phrases.keys.map { $0.split(separator: " ").count }.max() ?? 1)
        self.semantic = semantic
        self.semanticThreshold = semanticThreshold
    }

    /// Finds entity mentions in folded tokens, longest first, non-overlapping, left to right.
    /// - Parameter skip: token positions already used by other readings (numbers, critiques).
    public func link(tokens: [String], skip: Set<Int> = []) -> [EntityMention] {
        var used = skip
        var mentions: [EntityMention] = []
        var length = min(maxPhraseLength, tokens.count)
        while length >= 1 {
            var start = 0
            while start + length <= tokens.count {
                let range = start..<(start + length)
                if range.contains(where: used.contains) { start += 1; continue }
                let phrase = tokens[range].joined(separator: " ")
                if length == 1, TextNormalizer.stopwords.contains(phrase) { start += 1; continue }
                if let keys = phrases[phrase], let best = keys.first {
                    let alternatives = keys.dropFirst().map(\.entity).filter { $0 != best.entity }
                    mentions.append(EntityMention(text: phrase, tokenRange: range, entity: best.entity,
                                                  alternatives: Array(Self.unique(alternatives).prefix(5)),
                                                  confidence: best.quality * (keys.count > 1 && keys[1].quality == best.quality ? 0.8 : 1)))
                    used.formUnion(range)
                    start += length
                    continue
                }
                start += 1
            }
            length -= 1
        }
        // Fuzzy single words (spelling mistakes), for words of five letters or more.
        for (i, word) in tokens.enumerated() where !used.contains(i) && word.count >= 5 && !TextNormalizer.stopwords.contains(word)
            && Int(word) == nil {
            let length = word.count
            let limit = length >= 8 ? 2 : 1
            var best: (Key, Int)?
            // Closest first, then the reading more objects carry (remaining ties: the shorter word, then alphabetical).
            for n in (length - limit)...(length + limit) {
                guard let first = word.first, let bucket = fuzzy[first]?[n] else { continue }
                for (key, k) in bucket {
                    let d = TextNormalizer.editDistance(word, key, limit: limit)
                    guard d <= limit else { continue }
                    if best == nil || d < best!.1 || (d == best!.1 && k.weight > best!.0.weight) { best = (k, d) }
                }
            }
            if let (key, distance) = best {
                mentions.append(EntityMention(text: word, tokenRange: i..<(i + 1), entity: key.entity, alternatives: [],
                                              confidence: key.quality * (distance == 1 ? 0.7 : 0.5)))
                used.insert(i)
            }
        }
        // Semantic fallback over remaining content words.
        if let semantic {
            for (i, word) in tokens.enumerated() where !used.contains(i) && word.count >= 4
                && !TextNormalizer.stopwords.contains(word) && Int(word) == nil {
                guard let top = semantic(word).first, top.score >= semanticThreshold else { continue }
                mentions.append(EntityMention(text: word, tokenRange: i..<(i + 1), entity: top.entity, alternatives: [],
                                              confidence: Double(top.score) * 0.6))
                used.insert(i)
            }
        }
        return mentions.sorted { $0.tokenRange.lowerBound < $1.tokenRange.lowerBound }
    }

    /// Links a free-text phrase (e.g. a question's answer) and returns the best entity of the wanted kind.
    public func best(_ text: String, kind: EntityRef.Kind? = nil) -> EntityRef? {
        let mentions = link(tokens: TextNormalizer.tokens(text))
        return mentions.first { kind == nil || $0.entity.kind == kind }?.entity
    }

    private static func unique(_ list: [EntityRef]) -> [EntityRef] {
        var seen = Set<EntityRef>()
        return list.filter { seen.insert($0).inserted }
    }
}
