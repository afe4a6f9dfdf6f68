// A plain Tate ingest through the library (the same Ingestor, TateImporter and SQLiteStore that `curio ingest`
// uses), without the CLI around it: the child process of the crash test (Tests/CurioIngestTests/CrashTests.swift)
// and the Curio side of Benchmarks/ingest.sh.
//
//   curio-ingest-helper DB INPUT... [--chunk N] [--json]
//   curio-ingest-helper --parse-only INPUT...      (read and map only, to time the parser alone)
//
// Ingests every INPUT with the Tate importer into the SQLite store DB and prints one line of totals
// (or the whole report as JSON), then the elapsed time. The crash test kills it with SIGKILL at random moments
// and then checks the database; nothing here is specific to crashing — it is an ordinary ingest.
import CurioIngest
import CurioStore
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
var chunk = 2000
var json = false
if let i = arguments.firstIndex(of: "--chunk"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) {
    chunk = n
    arguments.removeSubrange(i...(i + 1))
}
if let i = arguments.firstIndex(of: "--json") {
    json = true
    arguments.remove(at: i)
}
if let i = arguments.firstIndex(of: "--parse-only") {
    arguments.remove(at: i)
    let started = Date()
    var items = 0, agents = 0, concepts = 0, problems = 0
    do {
        for input in arguments {
            try TateImporter(chunkSize: chunk).read(URL(fileURLWithPath: input)) { chunk in
                items += chunk.records.items.count
                agents += chunk.records.agents.count
                concepts += chunk.records.concepts.count
                problems += chunk.problems.count
            }
        }
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(65)
    }
    print("parsed \(items) items, \(agents) agents, \(concepts) concepts, \(problems) problems; "
        + String(format: "%.2f s", Date().timeIntervalSince(started)))
    exit(0)
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: curio-ingest-helper DB INPUT... [--chunk N] [--json] | --parse-only INPUT...\n".utf8))
    exit(64)
}
do {
    let store = try SQLiteStore(path: arguments[0])
    let started = Date()
    let report = try Ingestor(store: store).ingest(arguments.dropFirst().map { URL(fileURLWithPath: $0) },
                                                   with: TateImporter(chunkSize: chunk))
    let elapsed = Date().timeIntervalSince(started)
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(report))
        print()
    } else {
        let items = report.records.items
        print("items inserted \(items.inserted) updated \(items.updated) unchanged \(items.unchanged); "
            + "agents \(report.records.agents.inserted + report.records.agents.updated + report.records.agents.unchanged); "
            + "skipped \(report.skipped.count); failures \(report.failures.count); "
            + String(format: "%.2f s", elapsed))
    }
    for failure in report.failures { FileHandle.standardError.write(Data("\(failure.message)\n".utf8)) }
    exit(report.failures.isEmpty ? 0 : 65)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(70)
}
