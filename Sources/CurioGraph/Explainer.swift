import CurioCore

/// Turns additive score contributions into a `because` list and a sentence.
///
/// Any recommender that can split its score into parts (the graph recommender exactly per meta-path instance,
/// ItemKNN per liked item, a content model per matching term or palette, a curator rule as a boost) hands those
/// parts to ``explain(_:language:titles:)`` as ``Evidence`` values. Parts making the same claim
/// (same kind, liked item and via node) are summed, so each entry's weight is its total contribution.
public struct Explainer: Sendable {
    /// Sentences by language and evidence kind.
    public var templates: ExplanationTemplates
    /// Longest `because` list returned.
    public var maxEvidence: Int
    /// Most phrases in the sentence.
    public var maxPhrases: Int

    /// An explainer with the given templates and list lengths.
    public init(templates: ExplanationTemplates = .standard, maxEvidence: Int = 5, maxPhrases: Int = 2) {
        self.templates = templates
        self.maxEvidence = maxEvidence
        self.maxPhrases = maxPhrases
    }

    /// Groups contributions that make the same claim, summing their weights; strongest first.
    ///
    /// Ties are broken by kind, then liked item, then via reference, so the order is deterministic.
    /// Parts with zero or negative weight are not evidence for the item and are dropped.
    public static func aggregate(_ contributions: [Evidence]) -> [Evidence] {
        var byKey: [Evidence.Key: Evidence] = [:]
        var order: [Evidence.Key] = []
        for c in contributions {
            let k = c.key
            if var e = byKey[k] {
                e.weight += c.weight
                for d in c.details where !e.details.contains(d) { e.details.append(d) }
                if e.likedTitle == nil { e.likedTitle = c.likedTitle }
                byKey[k] = e
            } else {
                byKey[k] = c
                order.append(k)
            }
        }
        return ranked(order.compactMap { byKey[$0] })
    }

    /// Contributions that already make distinct claims (no two share kind, liked item and via node), strongest first
    /// in ``aggregate(_:)``'s order, without grouping: what ``aggregate(_:)`` returns for such a list.
    public static func ranked(_ distinct: [Evidence]) -> [Evidence] {
        distinct.filter { $0.weight > 0 }.sorted(by: precedes)
    }

    /// The order of evidence: heavier first; ties by kind, then liked item, then via reference.
    public static func precedes(_ a: Evidence, _ b: Evidence) -> Bool {
        if a.weight != b.weight { return a.weight > b.weight }
        if a.kind != b.kind { return a.kind < b.kind }
        if a.likedItem != b.likedItem { return (a.likedItem?.rawValue ?? "") < (b.likedItem?.rawValue ?? "") }
        return (a.via?.reference ?? "") < (b.via?.reference ?? "")
    }

    /// The explanation of one recommendation.
    ///
    /// The sentence is built around the strongest piece of evidence: its liked item frames the sentence and up to
    /// ``maxPhrases`` pieces of evidence about that same liked item (strongest first, one per kind) fill it.
    /// - Parameters:
    ///   - contributions: additive parts of the item's score.
    ///   - language: BCP 47 tag; falls back to the templates' fallback language.
    ///   - titles: looks up titles of liked items the contributions do not name.
    ///   - distinct: the contributions already make distinct claims (one per kind, liked item and via node), so
    ///     they are only ranked, not grouped (same result, without hashing every claim).
    public func explain(_ contributions: [Evidence], language: String = "en",
                        titles: (ItemID) -> String? = { _ in nil }, distinct: Bool = false) -> Explanation {
        var evidence = distinct ? Self.ranked(contributions) : Self.aggregate(contributions)
        for i in evidence.indices where evidence[i].likedTitle == nil {
            if let id = evidence[i].likedItem { evidence[i].likedTitle = titles(id) ?? id.rawValue }
        }
        guard let top = evidence.first else {
            return Explanation(because: [], sentence: "", language: language)
        }
        var phrases: [String] = []
        var kinds: Set<EvidenceKind> = []
        for e in evidence where e.likedItem == top.likedItem && phrases.count < maxPhrases {
            guard kinds.insert(e.kind).inserted else { continue }
            phrases.append(templates.phrase(for: e, language: language))
        }
        let sentence = templates.sentence(likedTitle: top.likedItem == nil ? nil : top.likedTitle, phrases: phrases,
                                          language: language)
        return Explanation(because: Array(evidence.prefix(maxEvidence)), sentence: sentence, language: language)
    }
}
