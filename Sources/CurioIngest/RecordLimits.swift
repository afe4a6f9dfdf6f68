/// Size limits on record fields. A record with a longer value is skipped (and reported), because a value this
/// long is almost always a broken export (a missing closing quote swallowing the next rows) rather than real text.
public struct RecordLimits: Sendable, Equatable {
    /// Longest identifier, in characters.
    public var identifier: Int
    /// Longest title, in characters.
    public var title: Int
    /// Longest value of any other text field (description, credit line, …), in characters.
    public var text: Int

    /// Makes limits; the defaults are ``standard``.
    public init(identifier: Int = 200, title: Int = 10_000, text: Int = 100_000) {
        self.identifier = identifier
        self.title = title
        self.text = text
    }

    /// The defaults: identifiers 200, titles 10,000 and other text 100,000 characters.
    public static let standard = RecordLimits()
}
