/// A maker: a person, group or organisation credited on items.
public struct Agent: Hashable, Codable, Sendable, Identifiable {
    public var id: AgentID
    /// Display name (`Joseph Mallord William Turner`).
    public var name: String
    /// Sort name as catalogued (`Turner, Joseph Mallord William`).
    public var sortName: String?
    /// Other names the agent is known by, used for entity linking.
    public var aliases: [String]
    /// Gender as given by the source (`Female`, `Male`, or unknown when absent).
    public var gender: String?
    public var birthYear: Int?
    public var deathYear: Int?
    public var birthPlace: Place?
    public var deathPlace: Place?
    /// Places where the agent was active.
    public var activePlaces: [Place]
    /// Movements the agent belongs to.
    public var movements: [ConceptID]
    public var url: String?

    public init(id: AgentID, name: String, sortName: String? = nil, aliases: [String] = [], gender: String? = nil,
                birthYear: Int? = nil, deathYear: Int? = nil, birthPlace: Place? = nil, deathPlace: Place? = nil,
                activePlaces: [Place] = [], movements: [ConceptID] = [], url: String? = nil) {
        self.id = id
        self.name = name
        self.sortName = sortName
        self.aliases = aliases
        self.gender = gender
        self.birthYear = birthYear
        self.deathYear = deathYear
        self.birthPlace = birthPlace
        self.deathPlace = deathPlace
        self.activePlaces = activePlaces
        self.movements = movements
        self.url = url
    }
}

/// A named place, optionally inside a broader place (`London` in `United Kingdom`).
public struct Place: Hashable, Codable, Sendable {
    /// Full name as the source gives it (`Philadelphia, United States`).
    public var name: String
    /// The place's own name (`Philadelphia`).
    public var placeName: String
    /// Kind of place (`nation`, `country`, `inhabited_place`).
    public var placeType: String?
    /// The broader place's name when derivable (`United States`).
    public var country: String?
    public init(name: String, placeName: String, placeType: String? = nil, country: String? = nil) {
        self.name = name
        self.placeName = placeName
        self.placeType = placeType
        self.country = country
    }

    /// A stable identifier for the place, derived from its full name.
    public var key: String { name.lowercased() }
}
