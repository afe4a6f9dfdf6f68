import CurioCore
import CurioIngest
import CurioKit
import Foundation

extension IngestFormat: ExpressibleByArgument {}

/// `curio ingest`: reads catalogue exports and visitor events into the database.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "ingest",
        abstract: "Import collection records or visitor events into the database.",
        discussion: """
            Each input file is written in one transaction: a file that cannot be read (missing, truncated, \
            wrong encoding) leaves the database exactly as it was, while files before it stay committed. \
            Re-ingesting unchanged files changes nothing. Records with problems are skipped and listed with \
            file, line and field; the other records are stored.
            Exit status: 0 when everything was stored; 65 when records were skipped (unless --allow-skips) or a \
            file was malformed; 66 when an input does not exist.
            """,
        examples: [
            "curio ingest --format tate data/sample/tate",
            "curio ingest --format csv --mapping mapping.json exports/objects.csv",
            "curio ingest --format events --allow-skips logs/2024-05/*.jsonl",
            "curio ingest --format linked-art records/ --json > report.json",
        ])

    @Option(help: "Input format.")
    var format: IngestFormat
    @Argument(valueName: "path", help: "Files or folders to read.")
    var paths: [String]
    @Option(valueName: "file", help: "Column mapping (JSON) for --format csv; see docs/importers.md.")
    var mapping: String?
    @Flag(help: "Exit 0 even when some records were skipped (they are still listed).")
    var allowSkips = false
    @Option(valueName: "n", help: "How many problems to list in the summary.")
    var problems: Int = 10

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if format.needsMapping, mapping == nil {
            throw CLIError.usage("--format \(format.rawValue) needs --mapping FILE (which column holds which field)")
        }
        if !format.needsMapping, mapping != nil {
            throw CLIError.usage("--mapping only applies to --format csv")
        }
        if problems < 0 { throw CLIError.usage("--problems cannot be negative") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let urls = paths.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        let bar = context.progress("ingest", unit: "records")
        let report: IngestReport
        do {
            report = try curio.ingest(format: format, paths: urls,
                                      mapping: mapping.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }) { progress in
                bar.update(completed: progress.recordsDone, fraction: progress.fraction)
            }
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        if global.json {
            try context.console.printJSON(report)
        } else {
            context.console.out(IngestSummary(report: report, problemLimit: problems, allowSkips: allowSkips).text)
        }
        return report.exitCode(allowSkips: allowSkips)
    }
}

/// The human-readable ingest summary.
struct IngestSummary {
    let report: IngestReport
    let problemLimit: Int
    let allowSkips: Bool

    var text: String {
        let committed = report.files.filter { $0.status == .committed }.count
        var out = "Ingested \(committed) of \(report.files.count) file\(report.files.count == 1 ? "" : "s") (\(report.format)) "
        out += "in \(String(format: "%.1f", report.elapsedSeconds)) s\n\n"

        let records = report.records
        let hasRecords = records.total.inserted + records.total.updated + records.total.unchanged > 0
        if hasRecords || report.events.appended + report.events.duplicates == 0 {
            var table = TextTable([
                .init(title: ""), .init(title: "loaded", alignRight: true), .init(title: "updated", alignRight: true),
                .init(title: "unchanged", alignRight: true),
            ])
            for (name, summary) in [("items", records.items), ("makers", records.agents), ("concepts", records.concepts)] {
                table.append([name, ProgressBar.grouped(summary.inserted), ProgressBar.grouped(summary.updated),
                              ProgressBar.grouped(summary.unchanged)])
            }
            out += table.render(width: 100).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        if report.events.appended + report.events.duplicates > 0 {
            out += "  events: \(ProgressBar.grouped(report.events.appended)) appended, "
                + "\(ProgressBar.grouped(report.events.duplicates)) duplicates already stored\n"
        }
        if !report.skipped.isEmpty {
            out += "\nSkipped \(ProgressBar.grouped(report.skipped.count)) record\(report.skipped.count == 1 ? "" : "s")"
            out += " (" + Self.reasons(report.skipped) + ")\n"
            out += list(report.skipped)
        }
        if !report.warnings.isEmpty {
            out += "\nKept \(ProgressBar.grouped(report.warnings.count)) record\(report.warnings.count == 1 ? "" : "s") without a value that could not be read"
            out += " (" + Self.reasons(report.warnings) + ")\n"
            out += list(report.warnings)
        }
        if !report.failures.isEmpty {
            out += "\nFailed \(report.failures.count) file\(report.failures.count == 1 ? "" : "s"); nothing of \(report.failures.count == 1 ? "it" : "them") was stored:\n"
            for failure in report.failures { out += "  \(Self.relative(failure.message))\n" }
        }
        if !report.skipped.isEmpty, !allowSkips, report.failures.isEmpty {
            out += "\nThe other records were stored. Fix the listed records and ingest again, or pass --allow-skips to accept the skips (exit status 0).\n"
        }
        return out
    }

    private func list(_ problems: [RecordProblem]) -> String {
        guard problemLimit > 0 else { return "" }
        var out = ""
        for problem in problems.prefix(problemLimit) {
            var line = "  " + Self.relative(problem.file)
            if let number = problem.line { line += ":\(number)" }
            if let record = problem.record { line += " [\(record)]" }
            if let field = problem.field { line += " \(field)" }
            out += line + ": " + problem.message + "\n"
        }
        if problems.count > problemLimit {
            out += "  … and \(ProgressBar.grouped(problems.count - problemLimit)) more (--problems N lists more; --json lists all)\n"
        }
        return out
    }

    /// `8 title, 3 date` — counts per field, most frequent first.
    static func reasons(_ problems: [RecordProblem]) -> String {
        var counts: [String: Int] = [:]
        for problem in problems { counts[problem.field ?? "other", default: 0] += 1 }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(6)
            .map { "\(ProgressBar.grouped($0.value)) \($0.key)" }.joined(separator: ", ")
    }

    /// Paths below the working directory are shown relative to it.
    static func relative(_ text: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return text.replacingOccurrences(of: cwd, with: "")
    }
}
