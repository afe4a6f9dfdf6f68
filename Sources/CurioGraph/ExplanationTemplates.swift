import CurioCore
/// Sentences for explanations, kept apart from the logic that chooses evidence.
///
/// Each language has a frame for evidence that connects to one of the visitor's items
/// (`Because you liked *{liked}*: {evidence}`), a frame for evidence that does not (`Recommended: {evidence}`),
/// a joiner, and one phrase per ``EvidenceKind`` with the placeholders `{via}` (the shared node's label) and
/// `{details}` (palette colours or matching terms). Add a language by adding a ``Language`` value.
public struct ExplanationTemplates: Sendable, Hashable {
    /// The templates of one language.
    public struct Language: Sendable, Hashable {
        /// Frame with `{liked}` (the visitor's item title) and `{evidence}` (the joined phrases).
        public var frame: String
        /// Frame with `{evidence}`, for evidence not tied to one of the visitor's items.
        public var frameWithoutItem: String
        /// Placed between phrases.
        public var joiner: String
        /// Placed between details inside one phrase.
        public var detailJoiner: String
        /// One phrase per evidence kind.
        public var phrases: [EvidenceKind: String]

        /// One language's frames, joiners and phrases.
        public init(frame: String, frameWithoutItem: String, joiner: String, detailJoiner: String,
                    phrases: [EvidenceKind: String]) {
            self.frame = frame
            self.frameWithoutItem = frameWithoutItem
            self.joiner = joiner
            self.detailJoiner = detailJoiner
            self.phrases = phrases
        }
    }

    /// Templates by BCP 47 language tag.
    public var languages: [String: Language]
    /// Used when a requested language (or a phrase in it) is missing.
    public var fallbackLanguage: String

    /// Templates for the given languages.
    public init(languages: [String: Language], fallbackLanguage: String = "en") {
        self.languages = languages
        self.fallbackLanguage = fallbackLanguage
    }

    /// English and French.
    public static let standard = ExplanationTemplates(languages: ["en": .english, "fr": .french])

    /// The phrase for one piece of evidence in `language` (falling back to ``fallbackLanguage``).
    public func phrase(for evidence: Evidence, language: String) -> String {
        let lang = languages[language] ?? languages[fallbackLanguage]
        let template = lang?.phrases[evidence.kind] ?? languages[fallbackLanguage]?.phrases[evidence.kind] ?? evidence.kind.rawValue
        let details = evidence.details.joined(separator: lang?.detailJoiner ?? ", ")
        // Evidence without details (a look-alike whose palette is not described) drops the parenthesis.
        let shaped = details.isEmpty ? template.replacingAll(" ({details})", with: "") : template
        return shaped
            .replacingAll("{via}", with: evidence.via?.label ?? "")
            .replacingAll("{details}", with: details)
    }

    /// A sentence from phrases already chosen; `likedTitle` nil uses the frame without an item.
    public func sentence(likedTitle: String?, phrases: [String], language: String) -> String {
        guard let lang = languages[language] ?? languages[fallbackLanguage] else { return phrases.joined(separator: ", ") }
        let evidence = phrases.joined(separator: lang.joiner)
        if let likedTitle {
            // The frame sets the title in Markdown italics: its own asterisks are escaped.
            let escaped = MarkdownItalics.escaped(likedTitle)
            return lang.frame.replacingAll("{liked}", with: escaped).replacingAll("{evidence}", with: evidence)
        }
        return lang.frameWithoutItem.replacingAll("{evidence}", with: evidence)
    }
}

extension ExplanationTemplates.Language {
    /// English templates.
    public static let english = ExplanationTemplates.Language(
        frame: "Because you liked *{liked}*: {evidence}",
        frameWithoutItem: "Recommended: {evidence}",
        joiner: ", ",
        detailJoiner: ", ",
        phrases: [
            .sharedMaker: "also by {via}",
            .relatedMaker: "also after {via}",
            .sharedSubject: "also showing {via}",
            .broaderSubject: "also about {via}",
            .sameMovement: "also associated with {via}",
            .samePeriod: "from the {via}",
            .samePlace: "by an artist also linked to {via}",
            .sharedMaterial: "also using {via}",
            .sharedClassification: "also classed as {via}",
            .visualSimilarity: "similar in look ({details})",
            .textSimilarity: "described in similar terms ({details})",
            .coVisitation: "enjoyed by visitors who also liked it",
            .curatorBoost: "highlighted by the curators",
            .graphProximity: "closely connected to it in the collection's knowledge graph",
            .popularity: "popular with visitors to the collection",
        ])

    /// French templates.
    public static let french = ExplanationTemplates.Language(
        frame: "Parce que vous avez aimé *{liked}* : {evidence}",
        frameWithoutItem: "Recommandé : {evidence}",
        joiner: ", ",
        detailJoiner: ", ",
        phrases: [
            .sharedMaker: "aussi de {via}",
            .relatedMaker: "aussi d'après {via}",
            .sharedSubject: "représente aussi : {via}",
            .broaderSubject: "aussi sur le thème : {via}",
            .sameMovement: "aussi lié au mouvement {via}",
            .samePeriod: "de la même période ({via})",
            .samePlace: "d'un artiste lié lui aussi à {via}",
            .sharedMaterial: "aussi en {via}",
            .sharedClassification: "aussi classé : {via}",
            .visualSimilarity: "d'aspect proche ({details})",
            .textSimilarity: "décrit en termes proches ({details})",
            .coVisitation: "apprécié par les visiteurs qui l'ont aimé aussi",
            .curatorBoost: "mis en avant par les conservateurs",
            .graphProximity: "étroitement lié dans le graphe de connaissances de la collection",
            .popularity: "apprécié des visiteurs de la collection",
        ])
}

extension String {
    /// Replaces every occurrence of `target` (Foundation-free).
    /// Works on UTF-8 bytes (every request composes several sentences; a byte search is several times faster than
    /// a `Character` search, and placeholders are ASCII).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let t = Array(target.utf8)
        var result: String?
        var copy = self
        copy.withUTF8 { source in
            guard source.count >= t.count else { return }
            var out: [UInt8] = []
            var i = 0, last = 0
            let first = t[0]
            while i + t.count <= source.count {
                if source[i] == first, (1..<t.count).allSatisfy({ source[i + $0] == t[$0] }) {
                    if out.isEmpty { out.reserveCapacity(source.count + replacement.utf8.count) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: source[last..<i]))
                    out.append(contentsOf: replacement.utf8)
                    i += t.count
                    last = i
                } else {
                    i += 1
                }
            }
            guard last > 0 || !out.isEmpty else { return }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: source[last...]))
            result = String(decoding: out, as: UTF8.self)
        }
        return result ?? self
    }
}
