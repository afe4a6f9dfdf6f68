import CurioCore
@testable import CurioDialogue

/// A hand-made collection with the names that trip up linkers: two Turners, accents, a woman painter.
enum MiniCollection {
    static let turner = AgentID("tate:artist:558")
    static let oxford = AgentID("tate:artist:2118")
    static let constable = AgentID("tate:artist:1")
    static let rossetti = AgentID("tate:artist:2")
    static let gwenJohn = AgentID("tate:artist:3")
    static let gericault = AgentID("tate:artist:4")

    static let agents: [AgentID: Agent] = [
        turner: Agent(id: turner, name: "Joseph Mallord William Turner", gender: "Male",
                      birthPlace: Place(name: "London, United Kingdom", placeName: "London", country: "United Kingdom")),
        oxford: Agent(id: oxford, name: "William Turner of Oxford", gender: "Male"),
        constable: Agent(id: constable, name: "John Constable", gender: "Male"),
        rossetti: Agent(id: rossetti, name: "Dante Gabriel Rossetti", gender: "Male"),
        gwenJohn: Agent(id: gwenJohn, name: "Gwen John", gender: "Female",
                        birthPlace: Place(name: "Haverfordwest, United Kingdom", placeName: "Haverfordwest", country: "United Kingdom")),
        gericault: Agent(id: gericault, name: "Théodore Géricault", gender: "Male",
                         birthPlace: Place(name: "Rouen, France", placeName: "Rouen", country: "France")),
    ]

    static let concepts: [ConceptID: Concept] = {
        var c: [ConceptID: Concept] = [:]
        func add(_ id: String, _ label: String, _ broader: String?, _ level: Int) {
            c[ConceptID(id)] = Concept(id: ConceptID(id), scheme: .subject, label: label, broader: broader.map { ConceptID($0) }, level: level)
        }
        add("s:nature", "nature", nil, 0)
        add("s:sea-coasts", "seascapes and coasts", "s:nature", 1)
        add("s:sea", "sea", "s:sea-coasts", 2)
        add("s:shipwreck", "shipwreck", "s:sea-coasts", 2)
        add("s:weather", "weather", "s:nature", 1)
        add("s:storm", "storm", "s:weather", 2)
        add("s:people", "people", nil, 0)
        add("s:adults", "adults", "s:people", 1)
        add("s:woman", "woman", "s:adults", 2)
        add("s:landscape", "landscape", "s:nature", 1)
        add("s:tree", "tree", "s:landscape", 2)
        c[ConceptID("m:prb")] = Concept(id: "m:prb", scheme: .movement, label: "Pre-Raphaelite Brotherhood")
        c[ConceptID("m:rom")] = Concept(id: "m:rom", scheme: .movement, label: "Romanticism")
        return c
    }()

    static func item(_ id: String, _ title: String, _ maker: AgentID, _ year: Int, subjects: [String], movements: [String] = [],
                     medium: String = "Oil paint on canvas", width: Double = 500, height: Double = 400) -> Item {
        Item(id: ItemID(id), source: "test", title: title,
             makers: [MakerCredit(agent: maker, name: agents[maker]!.name)],
             date: DateRange(text: "\(year)", startYear: year, endYear: year), medium: medium,
             widthMM: width, heightMM: height,
             subjects: subjects.map { ConceptID($0) }, movements: movements.map { ConceptID($0) })
    }

    static let items: [Item] = [
        item("N00001", "Snow Storm: Hannibal and his Army Crossing the Alps", turner, 1812, subjects: ["s:storm"], movements: ["m:rom"]),
        item("N00002", "The Shipwreck", turner, 1805, subjects: ["s:shipwreck", "s:sea", "s:storm"], movements: ["m:rom"]),
        item("N00003", "Norham Castle, Sunrise", turner, 1845, subjects: ["s:landscape"], movements: ["m:rom"]),
        item("N00004", "Calais Sands", turner, 1830, subjects: ["s:sea"], movements: ["m:rom"], medium: "Watercolour on paper"),
        item("N00005", "Whitby", oxford, 1820, subjects: ["s:sea"], medium: "Watercolour on paper"),
        item("N00006", "Flatford Mill", constable, 1817, subjects: ["s:landscape", "s:tree"], movements: ["m:rom"]),
        item("N00007", "Chain Pier, Brighton", constable, 1827, subjects: ["s:sea"], movements: ["m:rom"]),
        item("N00008", "Beata Beatrix", rossetti, 1870, subjects: ["s:woman"], movements: ["m:prb"]),
        item("N00009", "Proserpine", rossetti, 1874, subjects: ["s:woman"], movements: ["m:prb"]),
        item("N00010", "Self-Portrait", gwenJohn, 1902, subjects: ["s:woman"], width: 300, height: 400),
        item("N00011", "Nude Girl", gwenJohn, 1910, subjects: ["s:woman"], width: 200, height: 300),
        item("N00012", "A Storm off the Coast", gericault, 1818, subjects: ["s:storm", "s:sea"], movements: ["m:rom"]),
    ]

    static func catalogue() -> DialogueCatalogue {
        var popularity: [ItemID: Double] = [:]
        for (i, item) in items.enumerated() { popularity[item.id] = Double(100 - i * 5) }
        return DialogueCatalogue(items: items, agents: agents, concepts: concepts, popularity: popularity)
    }
}
