// A child process for the ingest crash test (Tests/CurioIngestTests/CrashTests.swift) and a plain Tate ingest
// for the ingest benchmark when the `curio` CLI is not built:
//
//   curio-ingest-crashtest DB INPUT... [--chunk N] [--json]
//
// Ingests every INPUT with the Tate importer into the SQLite store DB and prints one line of totals
// (or the whole report as JSON). The crash test kills it with SIGKILL at random moments and then checks the
// database; nothing here is specific to crashing — it is an ordinary ingest.
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
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: curio-ingest-crashtest DB INPUT... [--chunk N] [--json]\n".utf8))
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
