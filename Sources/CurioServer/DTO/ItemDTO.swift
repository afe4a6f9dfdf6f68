import CurioCore
import CurioKit
import CurioStore
import Foundation

/// The public JSON form of an item (`GET /v1/items/{id}`, `curio items show --json`). Keys are snake_case.
public struct ItemDTO: Codable, Sendable, Equatable {
    public struct Maker: Codable, Sendable, Equatable {
        public var agentID: String
        public var name: String
        public var role: String
        enum CodingKeys: String, CodingKey { case agentID = "agent_id", name, role }
    }

    public struct DateDTO: Codable, Sendable, Equatable {
        public var text: String
        public var startYear: Int
        public var endYear: Int
        public var isCirca: Bool
        enum CodingKeys: String, CodingKey { case text, startYear = "start_year", endYear = "end_year", isCirca = "is_circa" }

        public init(_ range: DateRange) {
            text = range.text
            startYear = range.startYear
            endYear = range.endYear
            isCirca = range.isCirca
        }
    }

    public struct ConceptRef: Codable, Sendable, Equatable {
        public var id: String
        public var label: String?
    }

    public struct Image: Codable, Sendable, Equatable {
        public var kind: String
        public var location: String
        public var licence: String?
    }

    public var id: String
    public var source: String
    public var title: String
    public var alternateTitles: [String: String]?
    public var description: String?
    public var makers: [Maker]
    public var date: DateDTO?
    public var medium: String?
    public var classification: String?
    public var dimensions: String?
    public var widthMM: Double?
    public var heightMM: Double?
    public var depthMM: Double?
    public var subjects: [ConceptRef]
    public var movements: [ConceptRef]
    public var creditLine: String?
    public var acquisitionYear: Int?
    public var rights: String?
    public var url: String?
    public var images: [Image]

    enum CodingKeys: String, CodingKey {
        case id, source, title, alternateTitles = "alternate_titles", description, makers, date, medium, classification
        case dimensions, widthMM = "width_mm", heightMM = "height_mm", depthMM = "depth_mm", subjects, movements
        case creditLine = "credit_line", acquisitionYear = "acquisition_year", rights, url, images
    }

    /// Builds the DTO, resolving concept labels through `labels` (nil leaves labels out).
    public init(_ item: Item, labels: ((ConceptID) -> String?)? = nil) {
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

/// A short form of an item for lists and search results.
public struct ItemSummaryDTO: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var makers: [String]
    public var date: String?
    public var medium: String?
    public var source: String
    public var url: String?

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
    public var items: [ItemSummaryDTO]
    public var total: Int
    public var page: Int
    public var pageSize: Int
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
    public struct Hit: Codable, Sendable, Equatable {
        public var item: ItemSummaryDTO
        public var score: Double
        public var snippet: String?
    }

    public var query: String
    public var mode: String
    public var results: [Hit]

    public init(query: String, mode: String = "lexical", results: [(hit: SearchHit, item: Item)]) {
        self.query = query
        self.mode = mode
        self.results = results.map { Hit(item: ItemSummaryDTO($0.item), score: $0.hit.score, snippet: $0.hit.snippet) }
    }
}

/// Counts of stored records (`curio stats --json`, `GET /health`'s `collection`).
public struct StatsDTO: Codable, Sendable, Equatable {
    public var items: Int
    public var agents: Int
    public var concepts: [String: Int]
    public var places: Int
    public var images: Int
    public var visitors: Int
    public var events: Int
    public var itemsWithDates: Int
    public var itemsBySource: [String: Int]
    public var schemaVersion: Int

    enum CodingKeys: String, CodingKey {
        case items, agents, concepts, places, images, visitors, events, itemsWithDates = "items_with_dates"
        case itemsBySource = "items_by_source", schemaVersion = "schema_version"
    }

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
    public var visitor: String
    public var events: Int
    public var firstSeen: Date
    public var lastSeen: Date

    enum CodingKeys: String, CodingKey { case visitor, events, firstSeen = "first_seen", lastSeen = "last_seen" }

    public init(_ summary: VisitorSummary) {
        visitor = summary.visitor.rawValue
        events = summary.events
        firstSeen = summary.firstSeen
        lastSeen = summary.lastSeen
    }
}

/// The answer to `POST /v1/events`.
public struct EventsAcceptedDTO: Codable, Sendable, Equatable {
    public var received: Int
    public var appended: Int
    public var duplicates: Int
}

/// The answer to `GET /health`.
public struct HealthDTO: Codable, Sendable, Equatable {
    public var status: String
    public var version: String
    public var items: Int?
    public var uptimeSeconds: Int
    enum CodingKeys: String, CodingKey { case status, version, items, uptimeSeconds = "uptime_seconds" }
}
