import Foundation

/// Chooses the single most informative question about a large candidate set.
///
/// For each attribute (maker, movement, century, theme, medium) the planner builds the distribution of its
/// values over the candidates (an item with several values splits its weight), collapses it to the options it
/// would offer (the `optionCount` most frequent values) plus "something else", and computes its entropy —
/// the expected information gain of a truthful answer. The attribute with the highest gain is asked, unless
/// it has been asked before or the gain is below `minimumGain` bits.
public struct QuestionPlanner: Sendable {
    public var optionCount: Int
    public var minimumGain: Double
    public init(optionCount: Int = 4, minimumGain: Double = 0.8) {
        self.optionCount = optionCount
        self.minimumGain = minimumGain
    }

    /// Attributes the planner may ask about, in tie-break order.
    public static let attributes = ["theme", "century", "movement", "maker", "medium"]

    /// Values of an attribute for one item, as (key, label, constraint).
    static func values(of attribute: String, _ f: ItemFacts) -> [(key: String, label: String, constraint: Constraint)] {
        switch attribute {
        case "maker": return f.makers.map { ($0.id, $0.label, Constraint(.entity(EntityRef(kind: .maker, id: $0.id, label: $0.label)))) }
        case "movement": return f.movements.map { ($0.id, $0.label, Constraint(.entity(EntityRef(kind: .movement, id: $0.id, label: $0.label)))) }
        case "theme": return f.themes.map { ($0.id, $0.label, Constraint(.entity(EntityRef(kind: .subject, id: $0.id, label: $0.label)))) }
        case "medium": return f.mediumTerms.prefix(1).map { ($0, $0, Constraint(.entity(EntityRef(kind: .medium, id: $0, label: $0)))) }
        case "century":
            guard let y = f.year else { return [] }
            let c = y > 0 ? (y - 1) / 100 + 1 : y / 100 - 1
            let label = c > 0 ? "\(Self.ordinal(c)) century" : "\(Self.ordinal(-c)) century BCE"
            let range = c > 0 ? ((c - 1) * 100 + 1, c * 100) : (c * 100, (c + 1) * 100 - 1)
            return [("c\(c)", label, Constraint(.years(from: range.0, to: range.1)))]
        default: return []
        }
    }

    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }

    /// The expected information gain (bits) of asking `attribute` about `candidates`, and the options to offer.
    public func gain(of attribute: String, candidates: [ItemFacts]) -> (bits: Double, options: [Question.Option]) {
        var weights: [String: Double] = [:]
        var labels: [String: (String, Constraint)] = [:]
        var unknown = 0.0
        for f in candidates {
            let vs = Self.values(of: attribute, f)
            if vs.isEmpty { unknown += 1; continue }
            for v in vs {
                weights[v.key, default: 0] += 1 / Double(vs.count)
                labels[v.key] = (v.label, v.constraint)
            }
        }
        let ranked = weights.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        let offered = ranked.prefix(optionCount)
        let rest = ranked.dropFirst(optionCount).reduce(0) { $0 + $1.value } + unknown
        let total = offered.reduce(0) { $0 + $1.value } + rest
        guard total > 0, offered.count >= 2 else { return (0, []) }
        var h = 0.0
        for p in offered.map({ $0.value / total }) + [rest / total] where p > 0 { h -= p * log2(p) }
        let options = offered.map { Question.Option(label: labels[$0.key]!.0, constraint: labels[$0.key]!.1) }
        return (h, options)
    }

    /// The best question, or nil when no attribute is informative enough.
    public func bestQuestion(candidates: [ItemFacts], exclude: [String]) -> Question? {
        var best: (String, Double, [Question.Option])?
        for a in Self.attributes where !exclude.contains(a) {
            let (bits, options) = gain(of: a, candidates: candidates)
            if bits >= minimumGain, bits > (best?.1 ?? -1) { best = (a, bits, options) }
        }
        guard let (attribute, _, options) = best else { return nil }
        let text: String
        switch attribute {
        case "theme": text = "There are \(candidates.count) works like that. What should they show?"
        case "century": text = "There are \(candidates.count) works like that. From which period?"
        case "movement": text = "There are \(candidates.count) works like that. Any movement you prefer?"
        case "maker": text = "There are \(candidates.count) works like that. Any artist you'd like?"
        default: text = "There are \(candidates.count) works like that. Which medium?"
        }
        return Question(attribute: attribute, text: text, options: options)
    }
}
