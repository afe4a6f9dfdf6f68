/// Something in the collection's vocabulary a visitor can mention.
public struct EntityRef: Sendable, Codable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case maker, subject, movement, place, medium, colour, item
    }
    public var kind: Kind
    /// Agent id, concept id, `place:<name>`, medium term, colour name or item id.
    public var id: String
    /// Display label.
    public var label: String
    public init(kind: Kind, id: String, label: String) {
        self.kind = kind
        self.id = id
        self.label = label
    }
    public var description: String { "\(kind.rawValue):\(label)" }
}

/// A mention found in a message and what it was linked to.
public struct EntityMention: Sendable, Equatable {
    /// The words as folded (`william turner`).
    public var text: String
    /// Token range in the folded message.
    public var tokenRange: Range<Int>
    /// The chosen entity.
    public var entity: EntityRef
    /// Other plausible readings, best first (e.g. other makers called Turner).
    public var alternatives: [EntityRef]
    /// Match quality: 1 exact full name, lower for surname-only, fuzzy or semantic matches.
    public var confidence: Double
}
