import CurioCore
import Foundation

/// Persistence for what visits and conversations need beyond the collection: venues (with their rooms, walking
/// times and item placements), planned tours, conversations of the guide and trained next-exhibit models.
///
/// Kept apart from ``CollectionStore`` so that stores which only hold a collection need not implement it.
/// ``SQLiteStore`` implements both; every write is one transaction.
public protocol VisitStateStore: Sendable {
    /// Stores a venue, replacing any venue with the same id (rooms, walking times and placements included),
    /// in one transaction: on failure the previous venue is kept unchanged.
    func saveVenue(_ venue: StoredVenue, importedAt: Date) throws
    /// The venue document with `id`, or — when `id` is nil — of the venue imported last; nil when none.
    func venueDocument(id: String?) throws -> StoredVenueDocument?
    /// Ids and names of the stored venues, the one imported last first.
    func venueList() throws -> [StoredVenueDocument.Summary]
    /// Deletes a venue (its rooms and placements too); false when there was none.
    @discardableResult
    func deleteVenue(id: String) throws -> Bool

    /// Creates or replaces a conversation's state.
    func saveConversation(id: String, createdAt: Date, updatedAt: Date, json: Data) throws
    /// A conversation's state, or nil.
    func conversationJSON(id: String) throws -> Data?

    /// Creates or replaces a tour; tours whose expiry passed before `now` are deleted in the same transaction.
    func saveTour(id: String, venue: String, createdAt: Date, expiresAt: Date, json: Data, now: Date) throws
    /// A tour that has not expired at `now`, or nil.
    func tourJSON(id: String, now: Date) throws -> Data?

    /// Creates or replaces a trained next-exhibit model.
    func saveNextExhibitModel(_ model: StoredModel) throws
    /// The model stored under `name`, or nil.
    func nextExhibitModel(name: String) throws -> StoredModel?
}

/// A venue as the store keeps it: the complete document (the source of truth) plus the rows that make rooms,
/// walking times and placements queryable with SQL.
public struct StoredVenue: Sendable, Equatable {
    /// A room row.
    public struct Room: Sendable, Equatable {
        public var id: String
        public var name: String
        /// Floor level (0 = ground).
        public var floorLevel: Int?
        /// Whether a wheelchair user can enter the room.
        public var stepFree: Bool
        public init(id: String, name: String, floorLevel: Int?, stepFree: Bool) {
            self.id = id
            self.name = name
            self.floorLevel = floorLevel
            self.stepFree = stepFree
        }
    }

    /// The shortest direct walk from one room to a neighbouring room.
    public struct Walk: Sendable, Equatable {
        public var from: String
        public var to: String
        public var seconds: Double
        public init(from: String, to: String, seconds: Double) {
            self.from = from
            self.to = to
            self.seconds = seconds
        }
    }

    /// Where an item hangs.
    public struct Placement: Sendable, Equatable {
        public var item: ItemID
        public var room: String
        /// Position or wall, as text (`x,y` in metres, or a wall name), when known.
        public var position: String?
        public init(item: ItemID, room: String, position: String?) {
            self.item = item
            self.room = room
            self.position = position
        }
    }

    public var id: String
    public var name: String
    /// The opening hours as JSON text, for SQL readers.
    public var openingHours: String?
    /// The whole venue document (JSON); read back by ``VisitStateStore/venueDocument(id:)``.
    public var document: Data
    public var rooms: [Room]
    public var walks: [Walk]
    public var placements: [Placement]

    public init(id: String, name: String, openingHours: String?, document: Data, rooms: [Room], walks: [Walk],
                placements: [Placement]) {
        self.id = id
        self.name = name
        self.openingHours = openingHours
        self.document = document
        self.rooms = rooms
        self.walks = walks
        self.placements = placements
    }
}

/// A stored venue document read back.
public struct StoredVenueDocument: Sendable, Equatable {
    /// Id, name and import time of a stored venue.
    public struct Summary: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var importedAt: Date?
    }

    public var summary: Summary
    /// The venue document as it was stored.
    public var document: Data
}

/// A trained model kept in the store.
public struct StoredModel: Sendable, Equatable {
    /// The name it is stored under (`default`).
    public var name: String
    /// What kind of model the data holds (`transitions`, `sasrec+transitions`, `popularity`).
    public var kind: String
    /// The venue it was trained with, when any.
    public var venue: String?
    public var trainedAt: Date
    /// A JSON summary (training sessions, validation scores), for listings.
    public var summary: String
    /// The model itself.
    public var data: Data

    public init(name: String, kind: String, venue: String?, trainedAt: Date, summary: String, data: Data) {
        self.name = name
        self.kind = kind
        self.venue = venue
        self.trainedAt = trainedAt
        self.summary = summary
        self.data = data
    }
}
