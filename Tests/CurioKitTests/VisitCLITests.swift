import Foundation
import Testing

/// `curio venue`, `curio tour` and `curio chat` end to end on the small Tate fixture.
@Suite struct VisitCLITests {
    let workspace: CLIRunner.Workspace
    let cli: CLIRunner

    init() throws {
        workspace = try CLIRunner.Workspace()
        cli = CLIRunner(workspace: workspace)
        #expect(try cli.run(["init", "--quiet"]).status == 0)
        let tate = CLIRunner.fixtures.appendingPathComponent("tate").path
        let ingest = try cli.run(["ingest", "--format", "tate", tate, "--quiet", "--allow-skips"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    func writeVenue(_ placements: String) throws -> String {
        let json = """
            {"id": "g", "name": "Gallery", "timezone": "UTC",
             "floors": [{"id": "G", "name": "Ground", "level": 0}],
             "rooms": [{"id": "hall", "name": "Hall", "floor": "G", "adjacent": [{"room": "r1", "seconds": 20}]},
                       {"id": "r1", "name": "Room One", "floor": "G"}],
             "placements": [\(placements)]}
            """
        let url = workspace.folder.appendingPathComponent("venue-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test func venueImportRejectsBadFilesAndTourPlansFromTheStoredVenue() throws {
        let bad = try writeVenue(#"{"item": "A00023", "room": "r9"}"#)
        let refused = try cli.run(["venue", "import", bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("placements[0].room"), "\(refused.stderr)")
        #expect(try cli.run(["venue", "show"]).status == 66)

        let good = try writeVenue(#"{"item": "A00023", "room": "r1"}, {"item": "A00158", "room": "r1"}, {"item": "A00064", "room": "r1"}"#)
        let imported = try cli.run(["venue", "import", good, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.json["placements"] as? Int == 3)
        #expect(try cli.run(["venue", "close", "nowhere"]).status == 64)

        let tour = try cli.run(["tour", "--minutes", "10", "--at", "2025-06-03T11:00:00Z", "--json"])
        #expect(tour.status == 0, "\(tour.stderr)")
        let stops = (tour.json["stops"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(!stops.isEmpty)
        #expect(Set(stops).isSubset(of: ["A00023", "A00158", "A00064"]))
        let impossible = try cli.run(["tour", "--minutes", "1", "--end", "r1", "--at", "2025-06-03T11:00:00Z", "--interests", "Blake"])
        #expect(impossible.status == 65)
        #expect(impossible.stderr.contains("No tour is possible"), "\(impossible.stderr)")
    }

    @Test func chatAnswersEveryPipedLineWithOneJSONReply() throws {
        let chat = try cli.run(["chat", "--json"], input: "works by Blake\n\nwhy the first one?\n/item NOPE like this\n")
        #expect(chat.status == 0, "\(chat.stderr)")
        let lines = chat.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 3)
        let first = try #require(lines.first ?? nil)
        let conversation = try #require(first["conversation"] as? String)
        let items = (first["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(!items.isEmpty)
        #expect(Set(items).isSubset(of: ["A00023", "A00064", "A00143", "A00158", "A00170", "A00204"]))
        let second = try #require(lines[1])
        #expect(second["intent"] as? String == "explain")
        #expect(second["conversation"] as? String == conversation)
        let third = try #require(lines[2])
        #expect((third["error"] as? String)?.contains("NOPE") == true)

        // The conversation is kept: continuing it in a second process knows "the first one".
        let again = try cli.run(["chat", "--conversation", conversation], input: "tell me about the first one\n")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.isEmpty)
        #expect(try cli.run(["chat", "--conversation", "c-unknown"], input: "hi\n").status == 66)
    }
}
