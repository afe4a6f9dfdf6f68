/// An object in the collection: an artwork, record or specimen, as catalogued by the institution.
///
/// Everything except ``id`` and ``title`` is optional, because catalogues are uneven.
/// Items are value types; the store is the source of truth.
public struct Item: Hashable, Codable, Sendable, Identifiable {
    /// The stable identifier from the source catalogue.
    public var id: ItemID
    /// Which importer produced the record (`tate`, `csv`, `linked-art`, `paintings`).
    public var source: String
    /// The main title in the collection's language.
    public var title: String
    /// Titles in other languages, keyed by BCP 47 tag.
    public var alternateTitles: [String: String]
    /// Free-text description or label text.
    public var description: String?
    /// Makers with their roles, in the order the catalogue gives them.
    public var makers: [MakerCredit]
    /// The date as written plus the parsed year range.
    public var date: DateRange?
    /// Medium and support, as written (`Oil paint on canvas`).
    public var medium: String?
    /// Classification or department (`on paper, unique`, `painting`).
    public var classification: String?
    /// Dimensions as written (`support: 394 x 419 mm`).
    public var dimensions: String?
    /// Width, height and depth in millimetres when known.
    public var widthMM: Double?
    public var heightMM: Double?
    public var depthMM: Double?
    /// Concepts the object depicts or is about (leaf subjects; broader terms come from the concept hierarchy).
    public var subjects: [ConceptID]
    /// Art movements the object belongs to.
    public var movements: [ConceptID]
    /// Credit line (`Presented by Mrs John Richmond 1922`).
    public var creditLine: String?
    /// Year the institution acquired the object.
    public var acquisitionYear: Int?
    /// Rights statement or licence of the record and its image.
    public var rights: String?
    /// The public web page of the object.
    public var url: String?
    /// Images of the object (local files, URLs or IIIF).
    public var images: [ImageReference]

    public init(id: ItemID, source: String, title: String, alternateTitles: [String: String] = [:],
                description: String? = nil, makers: [MakerCredit] = [], date: DateRange? = nil,
                medium: String? = nil, classification: String? = nil, dimensions: String? = nil,
                widthMM: Double? = nil, heightMM: Double? = nil, depthMM: Double? = nil,
                subjects: [ConceptID] = [], movements: [ConceptID] = [], creditLine: String? = nil,
                acquisitionYear: Int? = nil, rights: String? = nil, url: String? = nil,
                images: [ImageReference] = []) {
        self.id = id
        self.source = source
        self.title = title
        self.alternateTitles = alternateTitles
        self.description = description
        self.makers = makers
        self.date = date
        self.medium = medium
        self.classification = classification
        self.dimensions = dimensions
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.depthMM = depthMM
        self.subjects = subjects
        self.movements = movements
        self.creditLine = creditLine
        self.acquisitionYear = acquisitionYear
        self.rights = rights
        self.url = url
        self.images = images
    }
}

/// A maker credited on an item, with the role the catalogue gives (`artist`, `after`, `engraver`).
public struct MakerCredit: Hashable, Codable, Sendable {
    public var agent: AgentID
    /// The display name as credited on this item.
    public var name: String
    public var role: String
    public init(agent: AgentID, name: String, role: String = "artist") {
        self.agent = agent
        self.name = name
        self.role = role
    }
}

/// Where an image of an item can be found.
public struct ImageReference: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case file, url, iiif }
    public var kind: Kind
    /// A local path (relative paths resolve against the folder of the imported file), a URL, or a IIIF base URI.
    public var location: String
    /// Licence of the image, when different from the record.
    public var licence: String?
    public init(kind: Kind, location: String, licence: String? = nil) {
        self.kind = kind
        self.location = location
        self.licence = licence
    }
}
