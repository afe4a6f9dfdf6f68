import CurioCore
import CurioKit
import CurioStore
import Foundation

/// The public JSON form of an item (`GET /v1/items/{id}`, `curio items show --json`). Keys are snake_case.
public struct ItemDTO: Codable, Sendable, Equatable {
    /// A maker credited on the item.
    public struct Maker: Codable, Sendable, Equatable {
        /// The maker's agent id (`tate:artist:558`).
        public var agentID: String
        /// Display name.
        public var name: String
        /// Role as catalogued (`artist`, `after`, `engraver`).
        public var role: String
        enum CodingKeys: String, CodingKey { case agentID = "agent_id", name, role }
    }

    /// A date as catalogued plus its parsed inclusive year range.
    public struct DateDTO: Codable, Sendable, Equatable {
        /// The date as written by the catalogue.
        public var text: String
        /// First year (negative for BCE).
        public var startYear: Int
        /// Last year, inclusive.
        public var endYear: Int
        /// Whether the date is approximate (the range is then widened).
        public var isCirca: Bool
        enum CodingKeys: String, CodingKey { case text, startYear = "start_year", endYear = "end_year", isCirca = "is_circa" }

        /// The public form of a parsed date.
        public init(_ range: DateRange) {
            text = range.text
            startYear = range.startYear
            endYear = range.endYear
            isCirca = range.isCirca
        }
    }

    /// A concept by id with its label.
    public struct ConceptRef: Codable, Sendable, Equatable {
        /// Identifier.
        public var id: String
        /// Preferred label, when known.
        public var label: String?
    }

    /// Where an image of the item is.
    public struct Image: Codable, Sendable, Equatable {
        /// `file`, `url` or `iiif`.
        public var kind: String
        /// Path, URL or IIIF base URI.
        public var location: String
        /// Licence of the image when it differs from the record's.
        public var licence: String?
    }

    /// Identifier.
    public var id: String
    /// Which importer produced the record (`tate`, `csv`, `linked-art`, `paintings`).
    public var source: String
    /// Main title.
    public var title: String
    /// Titles in other languages, keyed by BCP 47 tag.
    public var alternateTitles: [String: String]?
    /// Description or label text.
    public var description: String?
    /// Makers in catalogue order.
    public var makers: [Maker]
    /// The date, when catalogued.
    public var date: DateDTO?
    /// Medium and support as written.
    public var medium: String?
    /// Classification or department.
    public var classification: String?
    /// Dimensions as written.
    public var dimensions: String?
    /// Width in millimetres.
    public var widthMM: Double?
    /// Height in millimetres.
    public var heightMM: Double?
    /// Depth in millimetres.
    public var depthMM: Double?
    /// Subjects the item depicts or is about.
    public var subjects: [ConceptRef]
    /// Art movements.
    public var movements: [ConceptRef]
    /// Credit line.
    public var creditLine: String?
    /// Year of acquisition.
    public var acquisitionYear: Int?
    /// Rights statement or licence.
    public var rights: String?
    /// Public web page of the object.
    public var url: String?
    /// Images of the object.
    public var images: [Image]
    /// Visual descriptors of the item's image (palette, brightness, contrast, colourfulness), when computed by
    /// `curio embed`.
    public var visual: VisualDTO?

    enum CodingKeys: String, CodingKey {
        case id, source, title, alternateTitles = "alternate_titles", description, makers, date, medium, classification
        case dimensions, widthMM = "width_mm", heightMM = "height_mm", depthMM = "depth_mm", subjects, movements
        case creditLine = "credit_line", acquisitionYear = "acquisition_year", rights, url, images, visual
    }

    /// Builds the DTO, resolving concept labels through `labels` (nil leaves labels out), with the image's visual
    /// descriptors when given.
    public init(_ item: Item, labels: ((ConceptID) -> String?)? = nil, visuals: ItemVisuals? = nil) {
        visual = visuals.map(VisualDTO.init)
        id = item.id.rawValue
        source = item.source
        title = item.title
        alternateTitles = item.alternateTitles.isEmpty ? nil : item.alternateTitles
        description = item.description
        makers = item.makers.map { Maker(agentID: $0.agent.rawValue, name: $0.name, role: $0.role) }
        date = item.date.map(DateDTO.init)
        medium = item.medium
        classification = item.classification
        dimensions = item.dimensions
        widthMM = item.widthMM
        heightMM = item.heightMM
        depthMM = item.depthMM
        subjects = item.subjects.map { ConceptRef(id: $0.rawValue, label: labels?($0)) }
        movements = item.movements.map { ConceptRef(id: $0.rawValue, label: labels?($0)) }
        creditLine = item.creditLine
        acquisitionYear = item.acquisitionYear
        rights = item.rights
        url = item.url
        images = item.images.map { Image(kind: $0.kind.rawValue, location: $0.location, licence: $0.licence) }
    }
}

/// The visual descriptors of an item's image (`visual` in `GET /v1/items/{id}`).
public struct VisualDTO: Codable, Sendable, Equatable {
    /// One dominant colour.
    public struct Colour: Codable, Sendable, Equatable {
        /// Colour name (`ochre`, `navy`, …).
        public var name: String
        /// Average sRGB of the colour's pixels, `#RRGGBB`.
        public var hex: String
        /// Share of the image, 0…1.
        public var share: Double
        /// CIELAB centre `[L*, a*, b*]`.
        public var lab: [Double]
    }

    /// Up to five dominant colours, largest first.
    public var palette: [Colour]
    /// Distinct colour names by decreasing share.
    public var colourNames: [String]
    /// Mean L* (0 black … 100 white).
    public var brightness: Double
    /// `dark` (< 30), `medium` or `bright` (≥ 50).
    public var brightnessLevel: String
    /// Standard deviation of L*.
    public var contrast: Double
    /// Hasler–Süsstrunk colourfulness.
    public var colourfulness: Double
    /// `muted` (< 20), `moderate` or `colourful` (≥ 40).
    public var colourfulnessLevel: String

    enum CodingKeys: String, CodingKey {
        case palette, colourNames = "colour_names", brightness, brightnessLevel = "brightness_level", contrast
        case colourfulness, colourfulnessLevel = "colourfulness_level"
    }

    /// The public form of stored descriptors (numbers rounded to 2 decimals, shares to 3).
    public init(_ visuals: ItemVisuals) {
        let d = visuals.descriptors
        func round(_ x: Double, _ places: Double) -> Double { (x * places).rounded() / places }
        palette = d.palette.map {
            Colour(name: $0.name, hex: $0.hex, share: round($0.share, 1000),
                   lab: [round(Double($0.lab.l), 100), round(Double($0.lab.a), 100), round(Double($0.lab.b), 100)])
        }
        colourNames = d.colourNames
        brightness = round(d.brightness, 100)
        brightnessLevel = visuals.brightnessLevel.rawValue
        contrast = round(d.contrast, 100)
        colourfulness = round(d.colourfulness, 100)
        colourfulnessLevel = visuals.colourfulnessLevel.rawValue
    }
}

/// A short form of an item for lists and search results.
public struct ItemSummaryDTO: Codable, Sendable, Equatable {
    /// The identifier from the source catalogue.
    public var id: String
    /// Main title.
    public var title: String
    /// Makers' names in catalogue order.
    public var makers: [String]
    /// The date as written.
    public var date: String?
    /// Medium and support as written.
    public var medium: String?
    /// Which importer produced the record (`tate`, `csv`, `linked-art`, `paintings`).
    public var source: String
    /// Public web page of the object.
    public var url: String?

    /// The summary of an item.
    public init(_ item: Item) {
        id = item.id.rawValue
        title = item.title
        makers = item.makers.map(\.name)
        date = item.date?.text
        medium = item.medium
        source = item.source
        url = item.url
    }
}

/// One page of items (`GET /v1/items`, `curio items list --json`). `page` is 1-based.
public struct ItemPageDTO: Codable, Sendable, Equatable {
    /// The items of this page.
    public var items: [ItemSummaryDTO]
    /// Matches over all pages.
    public var total: Int
    /// This page, starting at 1.
    public var page: Int
    /// Items per page.
    public var pageSize: Int
    /// Number of pages.
    public var pages: Int

    enum CodingKeys: String, CodingKey { case items, total, page, pageSize = "page_size", pages }

    /// - Parameter page: the store's page (0-based) is converted to the API's 1-based numbering.
    public init(_ page: ItemPage) {
        items = page.items.map(ItemSummaryDTO.init)
        total = page.total
        self.page = page.page + 1
        pageSize = page.pageSize
        pages = page.pageSize > 0 ? (page.total + page.pageSize - 1) / page.pageSize : 0
    }
}

/// Search results (`GET /v1/search`, `curio search --json`).
public struct SearchResultsDTO: Codable, Sendable, Equatable {
    /// One search result.
    public struct Hit: Codable, Sendable, Equatable {
        /// The matching item.
        public var item: ItemSummaryDTO
        /// BM25 score; higher is better.
        public var score: Double
        /// Matching text with the matched words in `**bold**`.
        public var snippet: String?
    }

    /// The search text.
    public var query: String
    /// How results were found (`lexical`).
    public var mode: String
    /// Best first.
    public var results: [Hit]

    /// Results for `query`, best first.
    public init(query: String, mode: String = "lexical", results: [(hit: SearchHit, item: Item)]) {
        self.query = query
        self.mode = mode
        self.results = results.map { Hit(item: ItemSummaryDTO($0.item), score: $0.hit.score, snippet: $0.hit.snippet) }
    }
}

/// Counts of stored records (`curio stats --json`, `GET /health`'s `collection`).
public struct StatsDTO: Codable, Sendable, Equatable {
    /// Items stored.
    public var items: Int
    /// Makers stored.
    public var agents: Int
    /// Concepts per scheme.
    public var concepts: [String: Int]
    /// Places stored.
    public var places: Int
    /// Image references stored.
    public var images: Int
    /// Visitors with at least one event.
    public var visitors: Int
    /// Events stored.
    public var events: Int
    /// Items whose date could be parsed.
    public var itemsWithDates: Int
    /// Items per source.
    public var itemsBySource: [String: Int]
    /// Database schema version.
    public var schemaVersion: Int

    enum CodingKeys: String, CodingKey {
        case items, agents, concepts, places, images, visitors, events, itemsWithDates = "items_with_dates"
        case itemsBySource = "items_by_source", schemaVersion = "schema_version"
    }

    /// The public form of the store's counts.
    public init(_ stats: CollectionStats) {
        items = stats.items
        agents = stats.agents
        concepts = stats.concepts
        places = stats.places
        images = stats.images
        visitors = stats.visitors
        events = stats.events
        itemsWithDates = stats.itemsWithDates
        itemsBySource = stats.itemsBySource
        schemaVersion = stats.schemaVersion
    }
}

/// A visitor and their activity (`curio visitors list --json`).
public struct VisitorDTO: Codable, Sendable, Equatable {
    /// The pseudonymous visitor id.
    public var visitor: String
    /// Events recorded for the visitor.
    public var events: Int
    /// Time of the first event.
    public var firstSeen: Date
    /// Time of the last event.
    public var lastSeen: Date

    enum CodingKeys: String, CodingKey { case visitor, events, firstSeen = "first_seen", lastSeen = "last_seen" }

    /// The public form of a visitor summary.
    public init(_ summary: VisitorSummary) {
        visitor = summary.visitor.rawValue
        events = summary.events
        firstSeen = summary.firstSeen
        lastSeen = summary.lastSeen
    }
}

/// The answer to `POST /v1/events`.
public struct EventsAcceptedDTO: Codable, Sendable, Equatable {
    /// Events in the request.
    public var received: Int
    /// Events stored.
    public var appended: Int
    /// Events identical to stored ones, not stored again.
    public var duplicates: Int
}

/// The answer to `GET /health`.
public struct HealthDTO: Codable, Sendable, Equatable {
    /// `ok` or `unavailable`.
    public var status: String
    /// Curio version.
    public var version: String
    /// Items stored (refreshed every few seconds).
    public var items: Int?
    /// Seconds since the server started.
    public var uptimeSeconds: Int
    enum CodingKeys: String, CodingKey { case status, version, items, uptimeSeconds = "uptime_seconds" }
}
