/// A term in a controlled vocabulary: a subject, movement, material, or classification.
///
/// Concepts form hierarchies through ``broader``. Tate's subjects have three levels
/// (`people` → `adults` → `man, old`).
public struct Concept: Hashable, Codable, Sendable, Identifiable {
    public enum Scheme: String, Codable, Sendable, CaseIterable {
        case subject, movement, material, classification, era
    }
    public var id: ConceptID
    public var scheme: Scheme
    /// Preferred label (`man, old`).
    public var label: String
    /// The broader concept, if any.
    public var broader: ConceptID?
    /// Depth in the hierarchy: 0 for top-level terms.
    public var level: Int
    /// The source vocabulary and its identifier (`tate:1134`, `aat:300033618`).
    public var sourceURI: String?

    public init(id: ConceptID, scheme: Scheme, label: String, broader: ConceptID? = nil, level: Int = 0,
                sourceURI: String? = nil) {
        self.id = id
        self.scheme = scheme
        self.label = label
        self.broader = broader
        self.level = level
        self.sourceURI = sourceURI
    }
}
