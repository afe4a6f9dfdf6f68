import CurioCore
import CurioKit
import CurioMultimodal
import Foundation

/// `curio fuse`: learn the image→text projection and the fusion weights.
struct FuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "fuse",
        abstract: "Learn the image→text projection from the collection's image–text pairs and the fusion weights from visits.",
        discussion: """
            Needs text and image embeddings (`curio embed`). The projection maps EfficientNet-Lite0 image features into \
            the MiniLM text space (contrastive InfoNCE, trained here, seeded, early-stopped on 15 % held-out pairs) and \
            is saved as the next version in <db>.models/projection/. Then the weights of text, projected image and \
            knowledge-graph vectors are chosen to maximise NDCG@10 of next-object retrieval on each visitor's latest \
            move (defaults text 0.5, image 0.3, graph 0.2 with fewer than 20 such moves), saved in <db>.models/fusion.json. \
            `curio similar --modality fused` and text→image search use both.
            """,
        examples: ["curio fuse", "curio fuse --seed 7 --json"])

    @Option(valueName: "n", help: "Random seed (a non-negative whole number).")
    var seed: Int = 42
    @Option(valueName: "n", help: "Most training epochs (early stopping usually ends sooner).")
    var epochs: Int = 200

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if seed < 0 { throw CLIError.usage("--seed must not be negative, got \(seed)") }
        if !(1...100_000).contains(epochs) { throw CLIError.usage("--epochs must be between 1 and 100000, got \(epochs)") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        var options = ProjectionTrainingOptions()
        options.seed = UInt64(seed)
        options.maxEpochs = epochs
        let summary = try curio.fuse(options: options)
        if global.json {
            try context.console.printJSON(summary)
            return .success
        }
        if let p = summary.projection {
            context.console.out(String(format: """
                Image→text projection v%@ from %@ pairs (%@ training, %@ validation), best epoch %d of %d, τ %.3f, %.1f s
                  text→image on validation: recall@10 %.3f (untrained %.3f), MRR %.3f (untrained %.3f)

                """, p.version.map(String.init) ?? "-", ProgressBar.grouped(p.pairs), ProgressBar.grouped(p.trainingPairs),
                ProgressBar.grouped(p.validationPairs), p.bestEpoch, p.epochs, p.temperature, p.seconds,
                p.validation.recallAt10, p.untrainedValidation.recallAt10, p.validation.mrr, p.untrainedValidation.mrr))
        }
        let f = summary.fusion
        context.console.out(String(format: "Fusion weights (%@): text %.2f, image %.2f, graph %.2f; NDCG@10 %.3f on %d moves (defaults %.3f)\n",
                                   f.source, f.weights.text, f.weights.image, f.weights.graph, f.ndcg, f.cases, f.defaultNDCG))
        for note in summary.notes { context.console.err("note: \(note)") }
        return .success
    }
}

extension MultimodalServiceError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .noVectors, .itemWithoutVector: .unavailable
        case .vectorsUnsupported: .software
        }
    }
}

extension MultimodalError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .tooFewPairs: .unavailable
        case .invalidOption: .usage
        case .unreadableArtefact, .mismatchedPairs, .dimensionMismatch: .dataError
        case .diverged: .software
        }
    }
}
