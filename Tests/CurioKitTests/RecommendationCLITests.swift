import CurioCore
import Foundation
import Testing

/// `curio simulate | train | recommend | similar | policies | evaluate | tune | graph` end to end on the small Tate
/// fixture: exit codes, JSON shapes, files next to the database.
@Suite struct RecommendationCLITests {
    let workspace: CLIRunner.Workspace
    let cli: CLIRunner

    init() throws {
        workspace = try CLIRunner.Workspace()
        cli = CLIRunner(workspace: workspace)
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["ingest", "--format", "tate", CLIRunner.fixtures.appendingPathComponent("tate").path]).status == 0)
    }

    @Test func simulateTrainRecommendAndSimilarWorkEndToEnd() throws {
        let simulate = try cli.run(["simulate", "--visitors", "60", "--seed", "3", "--end", "2024-12-31", "--json"])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let appended = try #require(simulate.json["appended"] as? Int)
        #expect(appended > 0)
        // The same seed and period store nothing new.
        let again = try cli.run(["simulate", "--visitors", "60", "--seed", "3", "--end", "2024-12-31", "--json"])
        #expect(again.json["appended"] as? Int == 0 && again.json["duplicates"] as? Int == appended)

        let train = try cli.run(["train", "--model", "itemknn", "--json"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect((train.json["trained"] as? [String: Any])?["version"] as? Int == 1)
        #expect(train.json["serving"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: workspace.database + ".models/itemknn/v1.model"))
        #expect(FileManager.default.fileExists(atPath: workspace.database + ".models/registry.json"))

        let list = try cli.run(["recommend", "--visitor", "sim-000001", "--k", "3", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.json["visitor"] as? String == "sim-000001")
        #expect(list.json["policy"] as? String == "default")
        let items = try #require(list.json["items"] as? [[String: Any]])
        #expect(items.allSatisfy { $0["explanation"] is String && $0["because"] is [Any] })
        let human = try cli.run(["recommend", "--visitor", "sim-000001", "--k", "2", "--policy", "none"])
        #expect(human.status == 0 && human.stdout.contains("no policy"))

        let similar = try cli.run(["similar", "A00023", "--k", "2", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        #expect(similar.json["item"] as? String == "A00023")
        #expect(try cli.run(["similar", "NOPE"]).status == 66)
        // Nothing embedded: the vector modalities exit 69 naming the fix; fused answers on the metadata and says so.
        let image = try cli.run(["similar", "A00023", "--modality", "image"])
        #expect(image.status == 69 && image.stderr.contains("no image vectors stored: run `curio embed`"), "\(image.stderr)")
        #expect(try cli.run(["similar", "A00023", "--modality", "text"]).status == 69)
        #expect(try cli.run(["similar", "A00023", "--modality", "smell"]).status == 64)
        let fused = try cli.run(["similar", "A00023", "--k", "2"])
        #expect(fused.status == 0 && fused.stdout.contains("(similarity: metadata)") && fused.stderr.contains("curio embed"))
        let imageSearch = try cli.run(["search", "sea", "--modality", "image"])
        #expect(imageSearch.status == 69 && imageSearch.stderr.contains("no image vectors stored"), "\(imageSearch.stderr)")
        let fuse = try cli.run(["fuse", "--json"])
        #expect(fuse.status == 0, "\(fuse.stderr)")
        #expect((fuse.json["fusion"] as? [String: Any])?["source"] as? String == "default")
        #expect((fuse.json["notes"] as? [String])?.contains { $0.contains("no text vectors stored") } == true)
    }

    @Test func usageErrorsAndMissingModelsHaveTheirExitCodes() throws {
        #expect(try cli.run(["train", "--model", "magic"]).status == 64)
        #expect(try cli.run(["train", "--model", "als"]).status == 66)  // no events yet
        #expect(try cli.run(["recommend"]).status == 64)
        #expect(try cli.run(["recommend", "--visitor", "v", "--k", "0"]).status == 64)
        #expect(try cli.run(["recommend", "--visitor", "v", "--policy", "nope"]).status == 64)
        #expect(try cli.run(["evaluate", "--models", "als,als"]).status == 64)
        #expect(try cli.run(["simulate", "--visitors", "0"]).status == 64)
        #expect(try cli.run(["simulate", "--end", "2999-01-01"]).status == 64)
        let help = try cli.run(["evaluate", "--help"], database: false)
        #expect(help.status == 0 && help.stdout.contains("--policy"))
    }

    @Test func policiesAreSetValidatedListedAndShown() throws {
        let good = workspace.folder.appendingPathComponent("good.json")
        try Data(#"{"max_per_maker": 1}"#.utf8).write(to: good)
        let bad = workspace.folder.appendingPathComponent("bad.json")
        try Data(#"{"max_per_maker": 0}"#.utf8).write(to: bad)
        let set = try cli.run(["policies", "set", "gallery", good.path, "--json"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.json["version"] as? Int == 1)
        let rejected = try cli.run(["policies", "set", "gallery", bad.path])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("max_per_maker"))
        #expect(try cli.run(["policies", "set", "gallery", "/no/such/file.json"]).status == 66)
        let list = try cli.run(["policies", "list"])
        #expect(list.stdout.contains("gallery") && list.stdout.contains("default") && list.stdout.contains("built-in"))
        let show = try cli.run(["policies", "show", "gallery", "--json"])
        #expect(show.json["max_per_maker"] as? Int == 1 && show.json["version"] as? Int == 1)
    }

    @Test func evaluateTuneAndGraphCommandsReport() throws {
        #expect(try cli.run(["simulate", "--visitors", "80", "--seed", "4", "--end", "2024-12-31"]).status == 0)
        let report = workspace.folder.appendingPathComponent("eval.html").path
        let evaluate = try cli.run(["evaluate", "--models", "popularity,itemknn", "--split", "leave-last", "--policy", "default",
                                    "--report", report, "--json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let models = ((evaluate.json["report"] as? [String: Any])?["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(models == ["popularity", "itemknn"])
        #expect((evaluate.json["fidelity"] as? [String: Any])?.keys.sorted() == ["itemknn", "popularity"])
        let policy = try #require((evaluate.json["policy"] as? [[String: Any]])?.first)
        #expect(((policy["variants"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                == ["model", "policy", "only:max_maker_share", "only:exposure"])
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("Explanation fidelity") && html.contains("<svg"))
        #expect(try cli.run(["evaluate", "--models", "itemknn", "--report", "/no/such/folder/x.html"]).status == 73)

        let tune = try cli.run(["tune", "--model", "itemknn", "--param", "neighbours=5,20", "--split", "leave-last", "--json"])
        #expect(tune.status == 0, "\(tune.stderr)")
        #expect((tune.json["trials"] as? [Any])?.count == 2)

        let stats = try cli.run(["graph", "stats", "--json"])
        #expect(stats.status == 0)
        #expect((stats.json["nodes_by_kind"] as? [String: Any])?["item"] as? Int == 6)
        let neighbours = try cli.run(["graph", "neighbours", "A00023", "--json"])
        #expect(neighbours.status == 0 && (neighbours.json["neighbours"] as? [Any])?.isEmpty == false)
        #expect(try cli.run(["graph", "neighbours", "item:NOPE"]).status == 66)
        let nt = workspace.folder.appendingPathComponent("g.nt").path
        #expect(try cli.run(["graph", "export", "--format", "nt", "--output", nt]).status == 0)
        #expect(((try? String(contentsOfFile: nt, encoding: .utf8)) ?? "").contains("<https://curio.example/id/item/A00023>"))
    }
}
