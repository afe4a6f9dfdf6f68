import Foundation

/// Chooses the single most informative question about a large candidate set.
///
/// For each attribute (maker, movement, century, theme, medium) the planner builds the distribution of its
/// values over the candidates (an item with several values splits its weight), collapses it to the options it
/// would offer (the `optionCount` most frequent values) plus "something else", and computes its entropy —
/// the expected information gain of a truthful answer. The attribute with the highest gain is asked, unless
/// it has been asked before or the gain is below `minimumGain` bits.
///
/// The values are read from a ``QuestionAttributes`` table built once per catalogue, so weighing 2,000
/// candidates is a pass over small integer arrays rather than thousands of string look-ups.
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
        guard let a = Self.attributes.firstIndex(of: attribute) else { return (0, []) }
        let table = QuestionAttributes(items: candidates)
        return gain(of: a, positions: Array(candidates.indices), in: table)
    }

    /// The best question, or nil when no attribute is informative enough.
    public func bestQuestion(candidates: [ItemFacts], exclude: [String]) -> Question? {
        bestQuestion(positions: Array(candidates.indices), of: candidates.count, in: QuestionAttributes(items: candidates),
                     exclude: exclude)
    }

    /// The best question about the objects at `positions` of the catalogue `attributes` was built from, or nil when
    /// no attribute is informative enough.
    /// - Parameter total: how many objects match in all (the question says so); `positions` may be the best of them.
    public func bestQuestion(positions: [Int], of total: Int, in attributes: QuestionAttributes, exclude: [String]) -> Question? {
        var best: (String, Double, [Question.Option])?
        for (a, name) in Self.attributes.enumerated() where !exclude.contains(name) {
            let (bits, options) = gain(of: a, positions: positions, in: attributes)
            if bits >= minimumGain, bits > (best?.1 ?? -1) { best = (name, bits, options) }
        }
        guard let (attribute, _, options) = best else { return nil }
        let count = total
        let text: String
        switch attribute {
        case "theme": text = "There are \(count) works like that. What should they show?"
        case "century": text = "There are \(count) works like that. From which period?"
        case "movement": text = "There are \(count) works like that. Any movement you prefer?"
        case "maker": text = "There are \(count) works like that. Any artist you'd like?"
        default: text = "There are \(count) works like that. Which medium?"
        }
        return Question(attribute: attribute, text: text, options: options)
    }

    /// The entropy of the answer distribution of attribute number `a` over the objects at `positions`: value weights
    /// summed in candidate order, values ranked by weight (ties by key), the `optionCount` best offered and the rest
    /// (with the objects that have no value) as "something else".
    func gain(of a: Int, positions: [Int], in table: QuestionAttributes) -> (bits: Double, options: [Question.Option]) {
        let column = table.columns[a]
        var weights = [Double](repeating: 0, count: column.keyCount)
        var lastVariant = [Int32](repeating: -1, count: column.keyCount)
        var touched: [Int32] = []
        var unknown = 0.0
        for p in positions {
            let range = Int(column.starts[p])..<Int(column.starts[p + 1])
            if range.isEmpty { unknown += 1; continue }
            let share = 1 / Double(range.count)
            for e in range {
                let variant = column.entries[e]
                let key = column.variants[Int(variant)].key
                if lastVariant[Int(key)] < 0 { touched.append(key) }
                weights[Int(key)] += share
                lastVariant[Int(key)] = variant
            }
        }
        let ranked = touched.sorted { weights[Int($0)] > weights[Int($1)] || (weights[Int($0)] == weights[Int($1)] && column.keyRank[Int($0)] < column.keyRank[Int($1)]) }
        let offered = ranked.prefix(optionCount)
        let rest = ranked.dropFirst(optionCount).reduce(0) { $0 + weights[Int($1)] } + unknown
        let total = offered.reduce(0) { $0 + weights[Int($1)] } + rest
        guard total > 0, offered.count >= 2 else { return (0, []) }
        var h = 0.0
        for p in offered.map({ weights[Int($0)] / total }) + [rest / total] where p > 0 { h -= p * log2(p) }
        let options = offered.map { key -> Question.Option in
            let v = column.variants[Int(lastVariant[Int(key)])]
            return Question.Option(label: v.label, constraint: v.constraint)
        }
        return (h, options)
    }
}

/// The values of the planner's attributes (theme, century, movement, maker, medium) for every object of a
/// catalogue, interned as small integers once, so that the ``QuestionPlanner`` weighs candidates without string
/// look-ups. Built by ``DialogueEngine`` with the catalogue.
public struct QuestionAttributes: Sendable {
    /// One attribute's values.
    struct Column: Sendable {
        /// A distinct (key, label) reading of a value: the option's label and constraint, and which key it counts for.
        struct Variant: Sendable {
            var key: Int32
            var label: String
            var constraint: Constraint
        }
        var variants: [Variant] = []
        var keyCount = 0
        /// Position of each key in ascending key order (the planner's tie-break).
        var keyRank: [Int32] = []
        /// Values of object p are `entries[starts[p]..<starts[p + 1]]` (variant numbers, as the object lists them).
        var starts: [Int32] = [0]
        var entries: [Int32] = []
    }

    let columns: [Column]

    /// Interns the attribute values of `items` (positions as in the array).
    public init(items: [ItemFacts]) {
        columns = QuestionPlanner.attributes.map { attribute in
            var column = Column()
            var keys: [String: Int32] = [:]
            var keyNames: [String] = []
            var variants: [String: [Int32]] = [:]
            column.starts.reserveCapacity(items.count + 1)
            for f in items {
                for v in QuestionPlanner.values(of: attribute, f) {
                    let key: Int32
                    if let k = keys[v.key] {
                        key = k
                    } else {
                        key = Int32(keyNames.count)
                        keys[v.key] = key
                        keyNames.append(v.key)
                    }
                    let candidates = variants[v.key, default: []]
                    if let existing = candidates.first(where: { column.variants[Int($0)].label == v.label && column.variants[Int($0)].constraint == v.constraint }) {
                        column.entries.append(existing)
                    } else {
                        let n = Int32(column.variants.count)
                        column.variants.append(.init(key: key, label: v.label, constraint: v.constraint))
                        variants[v.key, default: []].append(n)
                        column.entries.append(n)
                    }
                }
                column.starts.append(Int32(column.entries.count))
            }
            column.keyCount = keyNames.count
            column.keyRank = [Int32](repeating: 0, count: keyNames.count)
            for (rank, key) in keyNames.indices.sorted(by: { keyNames[$0] < keyNames[$1] }).enumerated() {
                column.keyRank[key] = Int32(rank)
            }
            return column
        }
    }
}
