import CurioCore

/// The collection facts the visit planner and re-rankers need, looked up by id: items and concept labels.
///
/// Built by the caller from the store (`CurioKit` does this); CurioVisits never reads the store itself.
public struct VisitCatalog: Sendable {
    /// Items by id.
    public var items: [ItemID: Item]
    /// Concepts by id (subjects, movements), for labels and broader terms.
    public var concepts: [ConceptID: Concept]

    public init(items: [Item] = [], concepts: [Concept] = []) {
        var byID: [ItemID: Item] = [:]
        byID.reserveCapacity(items.count)
        for item in items { byID[item.id] = item }
        self.items = byID
        var c: [ConceptID: Concept] = [:]
        for concept in concepts { c[concept.id] = concept }
        self.concepts = c
    }

    /// The item with `id`, or nil.
    public func item(_ id: ItemID) -> Item? { items[id] }

    /// The label of a concept, or nil when unknown.
    public func label(_ id: ConceptID) -> String? { concepts[id]?.label }

    /// A concept and its broader concepts, nearest first (cycles are cut).
    public func lineage(_ id: ConceptID) -> [Concept] {
        var out: [Concept] = []
        var seen: Set<ConceptID> = []
        var next: ConceptID? = id
        while let c = next, !seen.contains(c), let concept = concepts[c] {
            seen.insert(c)
            out.append(concept)
            next = concept.broader
        }
        return out
    }

    /// The first credited maker's display name, without roles such as "after".
    public func makerName(_ item: Item) -> String? { item.makers.first?.name }

    /// A short maker label for sentences: the surname-like last word of the first maker (`Turner`), or nil.
    public func shortMakerName(_ item: Item) -> String? {
        guard let name = item.makers.first?.name else { return nil }
        return Self.shortName(name)
    }

    /// `Joseph Mallord William Turner` → `Turner`; `Sir John Everett Millais, Bt` → `Millais`;
    /// `Henry Moore OM, CH` → `Moore`; unknown schools (`British School`) are kept whole.
    public static func shortName(_ name: String) -> String {
        if name.lowercased().contains("school") { return name }
        let main = name.split(separator: ",").first.map(String.init) ?? name
        let honours: Set<String> = ["OM", "CH", "RA", "CBE", "KBE", "MBE", "OBE", "Bt", "PRA", "ARA", "Jr", "Sr", "Jr.", "Sr."]
        let words = main.split(separator: " ").map(String.init).filter { !honours.contains($0) }
        return words.last ?? name
    }

    /// The first subject (or broader subject) of an item that a group likes (`true`) or is steered away from
    /// (`false`); avoidance wins over preference; nil for adults or when nothing matches.
    public func groupAffinity(_ id: ItemID, group: GroupType) -> (subject: String, liked: Bool)? {
        guard group != .adult, let item = item(id) else { return nil }
        var liked: String?
        for subject in item.subjects {
            for concept in lineage(subject) {
                let label = concept.label.lowercased()
                if group.avoidedSubjects.contains(where: { label.contains($0) }) { return (concept.label, false) }
                if liked == nil, group.preferredSubjects.contains(where: { label.contains($0) }) { liked = concept.label }
            }
        }
        return liked.map { ($0, true) }
    }

    /// The item's title in `language` when the catalogue has one, else its main title.
    public func title(_ id: ItemID, language: String?) -> String? {
        guard let item = item(id) else { return nil }
        if let language, let t = item.alternateTitles[language] ?? item.alternateTitles[String(language.prefix(2))] { return t }
        return item.title
    }
}
