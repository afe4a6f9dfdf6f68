import CurioCore
import CurioKit
import Foundation

/// `curio recommend --visitor ID`: an explained, policy-controlled list for one visitor.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "recommend",
        abstract: "Recommend objects to a visitor, with the reasons for each.",
        discussion: """
            The visitor's stored events are folded into the serving model (see `curio train`); a visitor with at \
            most one object gets content-based recommendations, one with none the most visited objects. The \
            curator policy (`default` unless --policy; `none` switches it off) re-ranks the list. Each object \
            comes with its evidence (shared maker, subject, period… and the visitor's own object it connects to) \
            and a sentence.
            """,
        examples: ["curio recommend --visitor sim-000042", "curio recommend --visitor v-1029 --k 5 --policy none --json",
                   "curio recommend --visitor v-1029 --maker Turner --subject sea"])

    @Option(valueName: "id", help: "The visitor's id (as in their events).")
    var visitor: String = ""
    @Option(valueName: "n", help: "How many objects (1 to 100).")
    var k: Int = 10
    @Option(valueName: "name", help: "Curator policy to apply (`none` for the model's own order).")
    var policy: String?
    @Option(valueName: "name", help: "Use this trained model instead of the serving model.")
    var model: String?
    @Option(valueName: "text", help: "Only works by this maker (agent id or part of a name).")
    var maker: String?
    @Option(valueName: "text", help: "Only works about this subject (concept id or label; narrower subjects too).")
    var subject: String?
    @Flag(help: "Also recommend objects the visitor has already seen.")
    var includeSeen = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if visitor.trimmingWhitespace().isEmpty { throw CLIError.usage("--visitor is required") }
        if !(1...100).contains(k) { throw CLIError.usage("--k must be between 1 and 100, got \(k)") }
        if let model { try ModelParameters.checkModel(model) }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let list = try curio.recommend(RecommendationRequest(visitor: VisitorID(visitor), k: k, excludeSeen: !includeSeen,
                                                             policy: policy, maker: maker, subject: subject, model: model))
        if global.json {
            try context.console.printJSON(list)
            return .success
        }
        var header = "Visitor \(list.visitor): \(list.historyItems) object\(list.historyItems == 1 ? "" : "s") in their history; "
        switch list.strategy {
        case .model: header += "model \(list.model)\(list.modelVersion.map { " v\($0)" } ?? "")"
        case .contentColdStart: header += "content-based (cold start)"
        case .popular: header += "most visited (no history yet)"
        }
        header += list.policy.map { ", policy \($0) v\(list.policyVersion ?? 0)" } ?? ", no policy"
        context.console.out(header + "\n\n")
        context.console.out(Self.render(list.items, width: context.console.width))
        return .success
    }

    /// Numbered items with maker, date and the explanation on a second line.
    static func render(_ items: [RecommendedItem], width: Int) -> String {
        if items.isEmpty { return "Nothing to recommend with these filters.\n" }
        var out = ""
        for (n, item) in items.enumerated() {
            var line = "\(String(n + 1).leftPadded(to: 3)). \(item.id)  \(item.title)"
            let maker = item.makers.joined(separator: "; ")
            if !maker.isEmpty { line += " — \(maker)" }
            if let date = item.date { line += ", \(date)" }
            out += line + String(format: "  [%.3f]", item.score) + "\n"
            for text in ItemsShowCommand.wrap(item.explanation, width: max(30, width - 7)) { out += "       \(text)\n" }
            let notes = item.adjustments.map { "\($0.kind): \($0.detail)" }
            if !notes.isEmpty { out += "       policy: \(notes.joined(separator: "; "))\n" }
        }
        return out
    }
}

/// `curio similar ID`: objects like one object.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "similar",
        abstract: "Objects similar to one object by their text, image or fused vectors, or their metadata, with the reasons.",
        discussion: """
            --modality text compares the records' MiniLM embeddings and image the EfficientNet-Lite0 image features             (both from `curio embed`); fused (the default) combines text, the image projected into the text space             (`curio fuse`) and the knowledge-graph embedding (`curio train --model graph-embedding`), with weights             learned from visits by `curio fuse` or the defaults (text 0.5, image 0.3, graph 0.2); metadata compares             makers, subjects, movements, period and medium. Exit 69 when the modality has no stored vectors.
            """,
        examples: ["curio similar N05742", "curio similar N05742 --modality image --k 5", "curio similar N05742 --json"])

    @Argument(valueName: "id", help: "The object's id.")
    var id: String
    @Option(valueName: "n", help: "How many objects (1 to 100).")
    var k: Int = 10
    @Option(valueName: "kind", help: "fused (default), text, image or metadata.")
    var modality: String = "fused"

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...100).contains(k) { throw CLIError.usage("--k must be between 1 and 100, got \(k)") }
        if SimilarityModality(rawValue: modality) == nil {
            throw CLIError.usage("--modality must be fused, text, image or metadata, got '\(modality)'")
        }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let list = try curio.similar(to: ItemID(id), k: k, modality: SimilarityModality(rawValue: modality) ?? .fused)
        if global.json {
            try context.console.printJSON(list)
            return .success
        }
        var by = list.modality
        if let modalities = list.modalities { by += " of " + modalities.joined(separator: " + ") }
        if let fusion = list.fusion {
            by += String(format: "; weights text %.2f, image %.2f, graph %.2f, %@", fusion.text, fusion.image, fusion.graph, fusion.source)
        }
        for warning in list.warnings ?? [] { context.console.err("note: \(warning)") }
        context.console.out("Like \(list.item)  \(list.title)  (similarity: \(by))\n\n")
        context.console.out(RecommendCommand.render(list.items, width: context.console.width))
        return .success
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
