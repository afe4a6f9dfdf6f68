import CurioCore
import CurioGraph

/// A hand-built collection small enough to check every path by hand.
///
/// Subjects: nature → seascapes and coasts → {sea, ship}; nature → landscape → {river, tree};
/// people → adults → woman. Movement: Pre-Raphaelite Brotherhood (era: 19th century).
/// Agents: Turner (born and active in London), Constable (born East Bergholt, England, United Kingdom),
/// Rossetti (born London, PRB), Millais (born Southampton, PRB).
enum SmallCollection {
    static let turner = AgentID("a:turner")
    static let constable = AgentID("a:constable")
    static let rossetti = AgentID("a:rossetti")
    static let millais = AgentID("a:millais")

    static let london = Place(name: "London, United Kingdom", placeName: "London", placeType: "inhabited_place",
                              country: "United Kingdom")
    static let bergholt = Place(name: "East Bergholt, United Kingdom", placeName: "East Bergholt", country: "United Kingdom")
    static let southampton = Place(name: "Southampton, United Kingdom", placeName: "Southampton", country: "United Kingdom")

    static let concepts: [Concept] = [
        Concept(id: "s:nature", scheme: .subject, label: "nature", level: 0),
        Concept(id: "s:seascapes", scheme: .subject, label: "seascapes and coasts", broader: "s:nature", level: 1),
        Concept(id: "s:landscape", scheme: .subject, label: "landscape", broader: "s:nature", level: 1),
        Concept(id: "s:sea", scheme: .subject, label: "sea", broader: "s:seascapes", level: 2),
        Concept(id: "s:ship", scheme: .subject, label: "ship", broader: "s:seascapes", level: 2),
        Concept(id: "s:river", scheme: .subject, label: "river", broader: "s:landscape", level: 2),
        Concept(id: "s:tree", scheme: .subject, label: "tree", broader: "s:landscape", level: 2),
        Concept(id: "s:people", scheme: .subject, label: "people", level: 0),
        Concept(id: "s:adults", scheme: .subject, label: "adults", broader: "s:people", level: 1),
        Concept(id: "s:woman", scheme: .subject, label: "woman", broader: "s:adults", level: 2),
        Concept(id: "e:19c", scheme: .era, label: "19th century"),
        Concept(id: "m:prb", scheme: .movement, label: "Pre-Raphaelite Brotherhood", broader: "e:19c", level: 1),
    ]

    static let agents: [Agent] = [
        Agent(id: turner, name: "Joseph Mallord William Turner", birthYear: 1775, deathYear: 1851, birthPlace: london,
              deathPlace: london, activePlaces: [london]),
        Agent(id: constable, name: "John Constable", birthYear: 1776, deathYear: 1837, birthPlace: bergholt),
        Agent(id: rossetti, name: "Dante Gabriel Rossetti", birthYear: 1828, birthPlace: london, movements: ["m:prb"]),
        Agent(id: millais, name: "Sir John Everett Millais", birthYear: 1829, birthPlace: southampton, movements: ["m:prb"]),
    ]

    static func item(_ id: String, _ title: String, _ maker: AgentID, _ makerName: String, date: String?,
                     medium: String?, classification: String?, subjects: [ConceptID], movements: [ConceptID] = [],
                     role: String = "artist") -> Item {
        Item(id: ItemID(id), source: "test", title: title,
             makers: [MakerCredit(agent: maker, name: makerName, role: role)],
             date: date.flatMap(DateParser.parse), medium: medium, classification: classification,
             subjects: subjects, movements: movements)
    }

    static let items: [Item] = [
        item("i1", "Norham Castle, Sunrise", turner, "Turner", date: "c.1845", medium: "Oil paint on canvas",
             classification: "painting", subjects: ["s:river"]),
        item("i2", "Snow Storm", turner, "Turner", date: "1842", medium: "Oil paint on canvas",
             classification: "painting", subjects: ["s:sea", "s:ship"]),
        item("i3", "The Hay Wain", constable, "Constable", date: "1821", medium: "Oil paint on canvas",
             classification: "painting", subjects: ["s:river", "s:tree"]),
        item("i4", "Proserpine", rossetti, "Rossetti", date: "1874", medium: "Oil paint on canvas",
             classification: "painting", subjects: ["s:woman"], movements: ["m:prb"]),
        item("i5", "Ophelia", millais, "Millais", date: "1851–2", medium: "Oil paint on canvas",
             classification: "painting", subjects: ["s:woman", "s:river"], movements: ["m:prb"]),
        item("i6", "Sketch of a Ship", turner, "Turner", date: "date not known",
             medium: "Graphite and watercolour on paper. Verso: graphite on paper",
             classification: "on paper, unique", subjects: ["s:ship"]),
        item("i7", "After Turner: Snow Storm", turner, "Turner", date: "1890", medium: "Engraving on paper",
             classification: "on paper, print", subjects: ["s:sea"], role: "after"),
    ]

    /// The collection's graph, freshly built.
    static func graph() -> KnowledgeGraph {
        KnowledgeGraph.build(items: items, agents: agents, concepts: concepts)
    }
}
