import CurioCore
import Foundation

/// The facts the guide may talk about, per item, drawn only from stored records.
///
/// Everything the guide says about an object comes from here, so a grounding check can verify any
/// statement against it.
public struct ItemFacts: Sendable, Codable, Equatable {
    public var id: ItemID
    public var title: String
    public var makers: [Named]
    /// Genders of the makers as catalogued (`Female`, `Male`).
    public var makerGenders: [String]
    /// Subjects including their broader concepts.
    public var subjects: [Named]
    /// Broad themes: the subjects' level-1 concepts (`seascapes and coasts`, `adults`), used for questions.
    public var themes: [Named]
    public var movements: [Named]
    /// Birth places (and countries) of the makers.
    public var places: [Named]
    public var dateText: String?
    public var startYear: Int?
    public var endYear: Int?
    public var medium: String?
    /// Medium words used for linking (`oil paint`, `watercolour`, `canvas`).
    public var mediumTerms: [String]
    public var classification: String?
    /// Dominant colour names, most prominent first (from image descriptors, when there is an image).
    public var colours: [String]
    /// Mean lightness 0…100 and colourfulness (Hasler–Süsstrunk), when there is an image.
    public var brightness: Double?
    public var colourfulness: Double?
    /// Surface area in cm², when dimensions are known.
    public var areaCM2: Double?
    /// Interaction count, for "less famous".
    public var popularity: Double

    /// A named entity: its id and label.
    public struct Named: Sendable, Codable, Hashable {
        public var id: String
        public var label: String
        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    /// Midpoint year, when dated.
    public var year: Int? {
        guard let s = startYear, let e = endYear else { return nil }
        return (s + e) / 2
    }
}

/// Visual descriptors supplied by the imaging module, keyed by item.
public struct VisualFacts: Sendable {
    public var colours: [String]
    public var brightness: Double
    public var colourfulness: Double
    public init(colours: [String], brightness: Double, colourfulness: Double) {
        self.colours = colours
        self.brightness = brightness
        self.colourfulness = colourfulness
    }
}

/// The collection as the guide sees it: facts per item, and lookups for linking words to entities.
public struct DialogueCatalogue: Sendable {
    public let items: [ItemFacts]
    public let index: [ItemID: Int]
    /// Aliases of makers beyond their names (e.g. `JMW Turner`), by agent id.
    public let agentAliases: [String: [String]]

    /// Builds the catalogue from stored records.
    public init(items: [Item], agents: [AgentID: Agent], concepts: [ConceptID: Concept],
                visuals: [ItemID: VisualFacts] = [:], popularity: [ItemID: Double] = [:]) {
        func chain(_ id: ConceptID) -> [ItemFacts.Named] {
            var out: [ItemFacts.Named] = []
            var current: ConceptID? = id
            var guardCount = 0
            while let c = current, let concept = concepts[c], guardCount < 10 {
                out.append(.init(id: c.rawValue, label: concept.label))
                current = concept.broader
                guardCount += 1
            }
            return out
        }
        var facts: [ItemFacts] = []
        facts.reserveCapacity(items.count)
        var aliases: [String: [String]] = [:]
        for a in agents.values where !a.aliases.isEmpty { aliases[a.id.rawValue] = a.aliases }
        for item in items {
            var subjects: [ItemFacts.Named] = []
            var seen = Set<String>()
            for s in item.subjects { for n in chain(s) where seen.insert(n.id).inserted { subjects.append(n) } }
            let themes = subjects.filter { concepts[ConceptID($0.id)]?.level == 1 }
            let movements = item.movements.compactMap { m in concepts[m].map { ItemFacts.Named(id: m.rawValue, label: $0.label) } }
            var places: [ItemFacts.Named] = []
            var genders: [String] = []
            for credit in item.makers {
                guard let agent = agents[credit.agent] else { continue }
                if let g = agent.gender { genders.append(g) }
                if let p = agent.birthPlace {
                    places.append(.init(id: "place:" + p.key, label: p.placeName))
                    if let c = p.country { places.append(.init(id: "place:" + c.lowercased(), label: c)) }
                }
            }
            let visual = visuals[item.id]
            var area: Double?
            if let w = item.widthMM, let h = item.heightMM, w > 0, h > 0 { area = w * h / 100 }
            facts.append(ItemFacts(
                id: item.id, title: item.title,
                makers: item.makers.map { .init(id: $0.agent.rawValue, label: agents[$0.agent]?.name ?? $0.name) },
                makerGenders: genders, subjects: subjects, themes: themes, movements: movements, places: places,
                dateText: item.date?.text, startYear: item.date?.startYear, endYear: item.date?.endYear,
                medium: item.medium, mediumTerms: Self.mediumTerms(item.medium), classification: item.classification,
                colours: visual?.colours ?? [], brightness: visual?.brightness, colourfulness: visual?.colourfulness,
                areaCM2: area, popularity: popularity[item.id] ?? 0))
        }
        self.items = facts
        var index: [ItemID: Int] = [:]
        for (i, f) in facts.enumerated() { index[f.id] = i }
        self.index = index
        self.agentAliases = aliases
    }

    /// The facts of an item, or nil when it is not in the collection.
    public func facts(_ id: ItemID) -> ItemFacts? { index[id].map { items[$0] } }

    /// Medium vocabulary recognised in catalogue text and requests.
    public static let mediumVocabulary = [
        "oil paint", "oil", "watercolour", "watercolor", "gouache", "tempera", "acrylic", "ink", "graphite", "chalk",
        "charcoal", "pastel", "etching", "engraving", "lithograph", "screenprint", "woodcut", "mezzotint", "aquatint",
        "photograph", "bronze", "marble", "plaster", "wood", "canvas", "paper", "board", "steel", "glass", "video",
        "film", "textile", "ceramic", "fresco", "drypoint", "pencil",
    ]

    /// The medium vocabulary terms found in a medium text (`Oil paint on canvas` → oil paint, canvas).
    public static func mediumTerms(_ medium: String?) -> [String] {
        guard let medium else { return [] }
        let folded = " " + TextNormalizer.fold(medium) + " "
        var terms: [String] = []
        for term in mediumVocabulary where folded.contains(" \(term) ") {
            if term == "oil", terms.contains("oil paint") { continue }
            terms.append(term == "watercolor" ? "watercolour" : term)
        }
        return terms
    }
}
