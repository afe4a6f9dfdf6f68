import CurioCore
import CurioStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The `curio` executable end to end: a temporary database, the small fixtures, exit codes and JSON output.
@Suite struct CLITests {
    let workspace: CLIRunner.Workspace
    let cli: CLIRunner
    let tate = CLIRunner.fixtures.appendingPathComponent("tate").path

    init() throws {
        workspace = try CLIRunner.Workspace()
        cli = CLIRunner(workspace: workspace)
    }

    @Test func initCreatesTheDatabaseAndIsSafeToRepeat() throws {
        let first = try cli.run(["init", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.json["created"] as? Bool == true)
        #expect(first.json["schema_version"] as? Int == SQLiteStore.supportedSchemaVersion)
        #expect(FileManager.default.fileExists(atPath: workspace.database))
        let second = try cli.run(["init"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("ready"))
    }

    @Test func ingestThenStatsIsStableAcrossRepeatedIngests() throws {
        #expect(try cli.run(["init"]).status == 0)
        let ingest = try cli.run(["ingest", "--format", "tate", tate, "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let records = try #require(ingest.json["records"] as? [String: Any])
        #expect((records["items"] as? [String: Any])?["inserted"] as? Int == 6)
        #expect((ingest.json["skipped"] as? [Any])?.isEmpty == true)

        let stats1 = try cli.run(["stats", "--json"])
        #expect(stats1.status == 0)
        #expect(stats1.json["items"] as? Int == 6)
        #expect(stats1.json["items_by_source"] as? [String: Int] == ["tate": 6])
        #expect(stats1.json["schema_version"] as? Int == SQLiteStore.supportedSchemaVersion)

        let again = try cli.run(["ingest", "--format", "tate", tate, "--json"])
        #expect(again.status == 0)
        let items = (again.json["records"] as? [String: Any])?["items"] as? [String: Any]
        #expect(items?["inserted"] as? Int == 0)
        #expect(items?["unchanged"] as? Int == 6)

        let stats2 = try cli.run(["stats", "--json"])
        #expect(stats2.stdout == stats1.stdout)
        #expect(!stats2.stdout.isEmpty)
    }

    @Test func humanIngestSummaryListsCountsAndProblems() throws {
        #expect(try cli.run(["init"]).status == 0)
        let bad = CLIRunner.fixtures.appendingPathComponent("tate-bad").path
        let result = try cli.run(["ingest", "--format", "tate", bad])
        #expect(result.status == ExitCode.dataError.rawValue)
        #expect(result.stdout.contains("loaded"))
        #expect(result.stdout.contains("Skipped 2 records"))
        #expect(result.stdout.contains("artworks.jsonl:2"))
        #expect(result.stdout.contains("artworks.jsonl:3"))
        #expect(result.stdout.contains("--allow-skips"))
        // The good records were stored even though the command failed.
        #expect(try cli.run(["stats", "--json"]).json["items"] as? Int == 2)
    }

    @Test func skippedRecordsExit65UnlessAllowed() throws {
        #expect(try cli.run(["init"]).status == 0)
        let bad = CLIRunner.fixtures.appendingPathComponent("tate-bad").path
        let strict = try cli.run(["ingest", "--format", "tate", bad, "--json"])
        #expect(strict.status == 65)
        let skipped = try #require(strict.json["skipped"] as? [[String: Any]])
        #expect(skipped.count == 2)
        #expect(skipped.allSatisfy { ($0["file"] as? String)?.hasSuffix("artworks.jsonl") == true && $0["line"] is Int })
        let lenient = try cli.run(["ingest", "--format", "tate", bad, "--allow-skips"])
        #expect(lenient.status == 0)
    }

    @Test func missingInputExits66() throws {
        #expect(try cli.run(["init"]).status == 0)
        let result = try cli.run(["ingest", "--format", "tate", workspace.folder.appendingPathComponent("nope").path])
        #expect(result.status == 66)
        #expect(result.stdout.contains("nope") || result.stderr.contains("nope"))
        let mapping = try cli.run(["ingest", "--format", "csv", "--mapping", "missing-mapping.json", tate])
        #expect(mapping.status == 66)
    }

    @Test func readingCommandsOnAMissingDatabaseExit66WithAHint() throws {
        for command in [["stats"], ["items", "list"], ["items", "show", "A00023"], ["search", "sea"], ["visitors", "list"]] {
            let result = try cli.run(command)
            #expect(result.status == 66, "\(command)")
            #expect(result.stderr.contains("curio init"), "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test(arguments: [
        [],
        ["frobnicate"],
        ["stats", "--jsn"],
        ["ingest", "somewhere"],
        ["ingest", "--format", "xml", "x"],
        ["ingest", "--format", "tate"],
        ["ingest", "--format", "tate", "--mapping", "m.json", "x"],
        ["ingest", "--format", "csv", "x"],
        ["items"],
        ["items", "list", "--page", "0"],
        ["items", "list", "--page", "two"],
        ["items", "list", "--from", "1900", "--to", "1800"],
        ["items", "show"],
        ["items", "show", "a", "b"],
        ["search", "sea", "--k", "0"],
        ["search", "--k"],
        ["serve", "--port", "70000"],
        ["serve", "--threads", "0"],
        ["stats", "--quiet", "--verbose"],
    ])
    func badUsageExits64WithAMessageAndUsage(arguments: [String]) throws {
        let result = try cli.run(arguments, database: false)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("error:"))
        #expect(result.stderr.contains("curio"))
        #expect(result.stdout.isEmpty)
    }

    @Test func everyCommandHasHelp() throws {
        for command in [[], ["init"], ["ingest"], ["stats"], ["items"], ["items", "show"], ["items", "list"],
                        ["visitors"], ["visitors", "list"], ["search"], ["serve"], ["models"], ["models", "install"],
                        ["models", "list"]] {
            let result = try cli.run(command + ["--help"], database: false)
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE: curio"), "\(command)")
            #expect(result.stdout.contains("--help"))
        }
        let help = try cli.run(["help", "items", "list"], database: false)
        #expect(help.stdout.contains("--page-size <n>"))
        #expect(help.stdout.contains("(default: 20)"))
        let ingest = try cli.run(["ingest", "--help"], database: false)
        #expect(ingest.stdout.contains("tate, csv, events, linked-art, paintings"))
    }

    @Test func itemsSearchAndVisitorsWorkOnIngestedData() throws {
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["ingest", "--format", "tate", tate]).status == 0)

        let show = try cli.run(["items", "show", "A00023", "--json"])
        #expect(show.status == 0)
        #expect(show.json["title"] as? String == "The Wrath of Elihu")
        #expect((show.json["makers"] as? [[String: Any]])?.first?["name"] as? String == "William Blake")
        #expect(show.json["credit_line"] is String)
        let human = try cli.run(["items", "show", "A00023"])
        #expect(human.stdout.hasPrefix("A00023  The Wrath of Elihu"))
        #expect(human.stdout.contains("William Blake (artist)"))
        let missing = try cli.run(["items", "show", "ZZZ999"])
        #expect(missing.status == 66)

        let list = try cli.run(["items", "list", "--maker", "Blake", "--json"])
        #expect(list.json["total"] as? Int == 1)
        #expect(list.json["page"] as? Int == 1)
        let page = try cli.run(["items", "list", "--page-size", "4", "--page", "2", "--json"])
        #expect((page.json["items"] as? [Any])?.count == 2)
        #expect(page.json["pages"] as? Int == 2)
        let table = try cli.run(["items", "list"])
        #expect(table.stdout.contains("ID"))
        #expect(table.stdout.contains("Page 1 of 1 (6 items)."))

        let search = try cli.run(["search", "Elihu", "--json"])
        let first = (search.json["results"] as? [[String: Any]])?.first?["item"] as? [String: Any]
        #expect(first?["id"] as? String == "A00023")

        let events = CLIRunner.fixtures.appendingPathComponent("events.jsonl").path
        let ingestEvents = try cli.run(["ingest", "--format", "events", events])
        #expect(ingestEvents.status == 65)  // one impossible rating
        #expect(try cli.run(["ingest", "--format", "events", events, "--allow-skips"]).status == 0)
        let visitors = try cli.run(["visitors", "list", "--json"])
        let list2 = try #require(visitors.json["visitors"] as? [[String: Any]])
        #expect(list2.map { $0["visitor"] as? String } == ["v-001", "v-002"])
        #expect(list2.first?["events"] as? Int == 3)
    }

    @Test func serveAnswersAndStopsCleanlyOnSIGTERM() throws {
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["ingest", "--format", "tate", tate]).status == 0)
        let executable = try #require(CLIRunner.executable)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--json", "--db", workspace.database]
        var environment = ProcessInfo.processInfo.environment
        environment["CURIO_API_KEY"] = "k"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The first stdout line says where the server listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let started = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        let port = try #require(started["port"] as? Int)
        #expect(port > 0)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/v1/items/A00023"))
        let body = try #require(Self.fetch(url))
        #expect(body.contains("The Wrath of Elihu"))
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        // The database was closed cleanly: the write-ahead log was checkpointed and removed.
        #expect(!FileManager.default.fileExists(atPath: workspace.database + "-wal"))
    }

    /// A blocking GET.
    static func fetch(_ url: URL) -> String? {
        let done = DispatchSemaphore(value: 0)
        let box = Collected()
        URLSession.shared.dataTask(with: url) { data, _, _ in
            box.set(out: data ?? Data())
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 10) == .success else { return nil }
        return box.out
    }

    @Test func embedThenSearchInEveryMode() throws {
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["ingest", "--format", "tate", tate]).status == 0)
        let before = try cli.run(["search", "horse", "--mode", "semantic"])
        #expect(before.status == ExitCode.unavailable.rawValue)
        #expect(before.stderr.contains("curio embed"))
        let fallback = try cli.run(["search", "horse", "--json"])
        #expect(fallback.status == 0)
        #expect(fallback.json["mode"] as? String == "lexical")

        let embed = try cli.run(["embed", "--json"])
        #expect(embed.status == 0, "\(embed.stderr)")
        let text = embed.json["text"] as? [String: Any] ?? [:]
        #expect(text["embedded"] as? Int == 6)
        #expect(text["model"] as? String == "all-MiniLM-L6-v2@gt-0.1.0")
        // The Tate records only have image URLs: counted, never fetched, and the image model is not needed.
        let image = embed.json["image"] as? [String: Any] ?? [:]
        #expect(image["embedded"] as? Int == 0)
        #expect(image["with_image"] as? Int == 0)
        let again = try cli.run(["embed", "--json", "--modality", "text"]).json
        #expect((again["text"] as? [String: Any])?["unchanged"] as? Int == 6)
        #expect(again["image"] == nil)

        for mode in ["lexical", "semantic", "hybrid"] {
            let result = try cli.run(["search", "horse", "--mode", mode, "--k", "3", "--json"])
            #expect(result.status == 0, "\(mode): \(result.stderr)")
            #expect(result.json["mode"] as? String == mode)
            let first = (result.json["results"] as? [[String: Any]])?.first?["item"] as? [String: Any]
            #expect(first?["id"] as? String == "A00170", "\(mode) should rank Horse’s Head first")
        }
        let bad = try cli.run(["search", "horse", "--mode", "fuzzy"])
        #expect(bad.status == ExitCode.usage.rawValue)
        #expect(bad.stderr.contains("lexical, semantic or hybrid"))
    }
}
