import CurioCore
import CurioMath
import Foundation

/// Content vectors from catalogue metadata alone, so content-based recommendation works on any ingested collection
/// before (or without) neural embeddings.
///
/// Each item becomes a bag of named features with a base weight:
///
/// | feature | base weight |
/// |---|---|
/// | `maker:<agent id>` | 1 for the artist role, 0.5 for other roles (`after`, `engraver`, …) |
/// | `subject:<concept id>` for each subject | 1 |
/// | `subject:<broader id>` for each broader term of a subject | 0.5 per level up (0.5, 0.25) |
/// | `movement:<concept id>` | 1 |
/// | `decade:<year>` and `century:<n>` of the date's midpoint | 1 and 0.5 |
/// | `medium:<word>` for each word of the medium (3+ letters, not a stop word) | 0.5 |
/// | `classification:<text>` | 0.5 |
///
/// Weights are multiplied by the feature's inverse document frequency over the catalogue,
/// `idf = ln((N + 1) / (df + 1)) + 1`, hashed into `2^hashBits` columns (FNV-1a; collisions add up) and each row is
/// L2-normalised (TF-IDF with feature hashing). A fitted encoder keeps its document frequencies, so a new object is
/// encoded on arrival with the same scale; features never seen before get the largest idf.
public struct MetadataFeatureEncoder: Sendable {
    /// Encoder settings.
    public struct Configuration: Codable, Sendable, Hashable {
        /// Columns = 2^hashBits.
        public var hashBits: Int = 18
        public var makerWeight: Float = 1
        public var secondaryMakerWeight: Float = 0.5
        public var subjectWeight: Float = 1
        /// Factor applied per level when walking up the subject hierarchy.
        public var broaderDecay: Float = 0.5
        public var movementWeight: Float = 1
        public var decadeWeight: Float = 1
        public var centuryWeight: Float = 0.5
        public var mediumWordWeight: Float = 0.5
        public var classificationWeight: Float = 0.5
        public init() {}
    }

    public let configuration: Configuration
    private let broader: [ConceptID: ConceptID]
    /// Document frequency of each hashed column, from ``fit(_:)``.
    private var documentFrequency: [Int32: Int] = [:]
    private var documentCount = 0

    private static let stopWords: Set<String> = ["and", "the", "with", "on", "of", "in", "for", "from", "over",
                                                  "under", "verso", "recto", "mounted", "support", "paper", "unknown"]

    /// An encoder that walks the given concept hierarchy for broader subject terms.
    public init(concepts: [Concept], configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var map: [ConceptID: ConceptID] = [:]
        for c in concepts {
            if let b = c.broader, b != c.id { map[c.id] = b }
        }
        broader = map
    }

    /// The named features of an item with their base weights (before idf), for explanations and debugging.
    public func namedFeatures(of item: Item) -> [(name: String, weight: Float)] {
        var out: [String: Float] = [:]
        func add(_ name: String, _ w: Float) { out[name] = max(out[name] ?? 0, w) }
        for credit in item.makers {
            let role = credit.role.lowercased()
            add("maker:\(credit.agent.rawValue)", role == "artist" || role.isEmpty ? configuration.makerWeight : configuration.secondaryMakerWeight)
        }
        for subject in item.subjects {
            add("subject:\(subject.rawValue)", configuration.subjectWeight)
            var current = subject
            var w = configuration.subjectWeight
            var steps = 0
            while let up = broader[current], steps < 8 {
                w *= configuration.broaderDecay
                add("subject:\(up.rawValue)", w)
                current = up
                steps += 1
            }
        }
        for movement in item.movements { add("movement:\(movement.rawValue)", configuration.movementWeight) }
        if let date = item.date {
            add("decade:\(date.decade)", configuration.decadeWeight)
            add("century:\(date.century)", configuration.centuryWeight)
        }
        if let medium = item.medium?.lowercased() {
            var word = ""
            for ch in medium + " " {
                if ch.isLetter { word.append(ch) } else {
                    if word.count >= 3, !Self.stopWords.contains(word) { add("medium:\(word)", configuration.mediumWordWeight) }
                    word = ""
                }
            }
        }
        if let classification = item.classification?.lowercased(), !classification.isEmpty {
            add("classification:\(classification)", configuration.classificationWeight)
        }
        return out.sorted { $0.key < $1.key }.map { (name: $0.key, weight: $0.value) }
    }

    /// The hashed column of a feature name.
    public func column(of feature: String) -> Int32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in feature.utf8 {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01B3
        }
        return Int32(truncatingIfNeeded: hash & ((1 << UInt64(configuration.hashBits)) - 1))
    }

    /// Learns document frequencies from the catalogue and returns the fitted encoder.
    public func fit(_ items: [Item]) -> MetadataFeatureEncoder {
        var copy = self
        var df: [Int32: Int] = [:]
        for item in items {
            for c in Set(namedFeatures(of: item).map { column(of: $0.name) }) { df[c, default: 0] += 1 }
        }
        copy.documentFrequency = df
        copy.documentCount = items.count
        return copy
    }

    /// Inverse document frequency of a hashed column.
    public func idf(_ column: Int32) -> Float {
        let df = documentFrequency[column] ?? 0
        return Float(log(Double(documentCount + 1) / Double(df + 1))) + 1
    }

    /// The TF-IDF row of one item: sorted hashed columns and values (not yet normalised).
    public func encodeRow(_ item: Item) -> [(column: Int32, value: Float)] {
        var row: [Int32: Float] = [:]
        for f in namedFeatures(of: item) {
            let c = column(of: f.name)
            row[c, default: 0] += f.weight * idf(c)
        }
        return row.sorted { $0.key < $1.key }.map { (column: $0.key, value: $0.value) }
    }

    /// Content features of `items` in the given order (call on a fitted encoder).
    public func encode(_ items: [Item]) -> ItemFeatures {
        var pointers = [Int](repeating: 0, count: items.count + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        for (i, item) in items.enumerated() {
            for (c, v) in encodeRow(item) {
                columns.append(c)
                values.append(v)
            }
            pointers[i + 1] = columns.count
        }
        let matrix = (try? SparseMatrix(rows: items.count, columns: 1 << configuration.hashBits,
                                        rowPointers: pointers, columnIndices: columns, values: values))
            ?? SparseMatrix(rows: items.count, columns: 1 << configuration.hashBits)
        return ItemFeatures(sparse: matrix)
    }

    /// Fits on `items` and encodes them: the usual one-step entry point.
    public static func features(for items: [Item], concepts: [Concept],
                                configuration: Configuration = Configuration()) -> ItemFeatures {
        MetadataFeatureEncoder(concepts: concepts, configuration: configuration).fit(items).encode(items)
    }
}
