import CurioCore
import CurioKit
import CurioRecommend
import Foundation

/// `curio train --model NAME`: trains a model on the stored events and saves a new version next to the database.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "train",
        abstract: "Train a recommendation model on the stored events and save it as a new version.",
        discussion: """
            Models: \(Curio.trainableModels.joined(separator: ", ")). content and hybrid use the catalogue's \
            metadata features (makers, subjects, movements, period, medium); graph and graph-embedding walk the \
            knowledge graph of the collection. Artefacts are written to <db>.models/<model>/v<N>.model and \
            recorded in <db>.models/registry.json; the new version becomes the active version of its model and, \
            unless --no-serve, the serving model that `recommend` and the HTTP API use. A running server picks \
            the new version up within a second. Same data, parameters and --seed give the same model.
            Hyper-parameters are overridden with --param name=value (names as in docs/recommenders.md, e.g. \
            --param factors=32 --param iterations=20).
            """,
        examples: ["curio train --model hybrid", "curio train --model als --seed 7 --param factors=32",
                   "curio train --model graph --no-serve --json"])

    @Option(valueName: "name", help: "The model to train: \(Curio.trainableModels.joined(separator: ", ")), or sequential (the next-exhibit model, see `curio next train`).")
    var model: String = HybridRecommender.modelName
    @Option(valueName: "n", help: "Random seed (a non-negative whole number).")
    var seed: Int = 42
    @Option(valueName: "name=value", help: "Override a hyper-parameter (repeatable).")
    var param: [String] = []
    @Flag(help: "Keep the current serving model; only make this version the active version of its model.")
    var noServe = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if model == NextTrainCommand.sequentialModelName { return try NextTrainCommand.checkSequential(param) }
        try ModelParameters.checkModel(model)
        if seed < 0 { throw CLIError.usage("--seed must not be negative, got \(seed)") }
        _ = try ModelParameters.parse(param)
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        if model == NextTrainCommand.sequentialModelName { return try NextTrainCommand.trainSequential(param, global: global, context: context) }
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let start = Date()
        let report = try curio.train(TrainingOptions(model: model, seed: UInt64(seed), parameters: try ModelParameters.parse(param),
                                                     serve: !noServe)) { message in
            if context.showsProgress && !global.json { context.console.err("train: \(message)") }
        }
        if global.json {
            try context.console.printJSON(report)
            return .success
        }
        let t = report.trained
        context.console.out("""
            Trained \(t.model) v\(t.version) in \(String(format: "%.1f", t.trainingSeconds)) s \
            (\(ProgressBar.grouped(t.visitors)) visitors, \(ProgressBar.grouped(t.interactions)) interactions, \
            \(ProgressBar.grouped(t.items)) objects; \(String(format: "%.1f", Date().timeIntervalSince(start))) s in all)
            Saved \(report.directory)/\(t.file)\(report.serving ? " — now the serving model" : "")
            \(report.events.summary)

            """)
        return .success
    }
}
