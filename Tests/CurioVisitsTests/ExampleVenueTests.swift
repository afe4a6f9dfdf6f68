import CurioCore
import CurioIngest
import Foundation
import Testing
@testable import CurioVisits

/// The shipped example venue must load cleanly and hang only artworks of the bundled sample.
@Suite struct ExampleVenueTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let venueFile = repository.appendingPathComponent("data/venue/tate-sample-venue.json")

    @Test func exampleVenueLoadsWithoutProblemsOrWarnings() throws {
        let result = try VenueFile.load(contentsOf: Self.venueFile)
        #expect(result.warnings == [])
        let v = result.venue
        #expect(v.floors.count == 2)
        #expect(v.placements.count >= 300)
        #expect(v.connections.contains { $0.kind == .stairs } && v.connections.contains { $0.kind == .lift })
        #expect(v.rooms.contains { !$0.isStepFree })
        let names = Set(v.rooms.map(\.name))
        for expected in ["Tudor and Stuart", "Hogarth and the 18th Century", "Turner", "Constable and Romantic Landscape",
                         "Pre-Raphaelites and Aesthetes", "Modern British", "Surrealism", "Abstraction", "Contemporary"] {
            #expect(names.contains(expected), "missing room \(expected)")
        }
        // Every room with art can be reached step-free except the mezzanine.
        let graph = RoomGraph(venue: v, options: RouteOptions(stepFree: true, ignoreClosures: true))
        for room in v.rooms where room.isStepFree {
            #expect(graph.seconds(from: "entrance", to: room.id)?.isFinite == true, "\(room.id)")
        }
    }

    @Test func everyPlacedItemIsInTheBundledSample() throws {
        var ids: Set<ItemID> = []
        try TateImporter().read(Self.repository.appendingPathComponent("data/sample/tate")) { chunk in
            for item in chunk.records.items { ids.insert(item.id) }
        }
        #expect(ids.count == 3000)
        let venue = try VenueFile.load(contentsOf: Self.venueFile).venue
        let missing = venue.placements.map(\.item).filter { !ids.contains($0) }
        #expect(missing == [])
    }
}
