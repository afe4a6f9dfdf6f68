import CurioCore
import CurioKit
import CurioRecommend
import Foundation

/// `curio evaluate --models a,b,c`: offline evaluation on the stored events.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "evaluate",
        abstract: "Compare models offline: accuracy, coverage, exposure, cold start, significance, explanation fidelity, policies.",
        discussion: """
            Each model is trained on the training part of the split and ranks the whole catalogue for every test \
            visitor (no sampled negatives). Splits: leave-last (each visitor's latest object held out), \
            user-temporal (each visitor's last 20%), global-temporal (everything after a cut-off time; the \
            realistic one, default). Metrics: recall, NDCG, HR, precision at 5/10/20, MRR, coverage, novelty, \
            intra-list diversity, exposure Gini; the same for cold visitors (≤ 3 objects) and recall for cold \
            objects; paired t-test and Wilcoxon test of each model against the first on ndcg@10; explanation \
            fidelity (remove the cited evidence, does the score drop?). With --policy, the policy re-ranks every \
            model's lists and the report shows exposure per group against the targets, the dominant maker's \
            share, popularity lift, calibration KL, diversity and the NDCG cost of each re-ranker alone.
            """,
        examples: ["curio evaluate --models popularity,itemknn,hybrid",
                   "curio evaluate --models als,hybrid,graph --split leave-last --policy default --report eval.html",
                   "curio evaluate --models ease --json > eval.json"])

    @Option(valueName: "a,b,c", help: "Models to compare (the first is the baseline of the significance tests).")
    var models: String = "popularity,itemknn,hybrid"
    @Option(valueName: "name", help: "leave-last, user-temporal or global-temporal.")
    var split: String = "global-temporal"
    @Option(valueName: "a,b", help: "Apply these curator policies to every model and report their effect.")
    var policy: String?
    @Option(valueName: "file", help: "Also write a self-contained HTML report with charts.")
    var report: String?
    @Option(valueName: "n", help: "Random seed for training.")
    var seed: Int = 42
    @Option(valueName: "n", help: "Visitors whose top-10 lists the explanation fidelity is measured on.")
    var fidelityVisitors: Int = 200
    @Option(valueName: "model.name=value", help: "Override a model's hyper-parameter (repeatable), e.g. als.factors=32.")
    var param: [String] = []

    @OptionGroup var global: GlobalOptions

    var policyList: [String] { (policy ?? "").split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } }

    var modelList: [String] { models.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } }

    func validate() throws {
        if modelList.isEmpty { throw CLIError.usage("--models needs at least one model") }
        for m in modelList { try ModelParameters.checkModel(m) }
        if Set(modelList).count != modelList.count { throw CLIError.usage("--models lists a model twice") }
        if !["leave-last", "user-temporal", "global-temporal"].contains(split) {
            throw CLIError.usage("--split must be leave-last, user-temporal or global-temporal, got '\(split)'")
        }
        if seed < 0 { throw CLIError.usage("--seed must not be negative") }
        if !(0...100_000).contains(fidelityVisitors) { throw CLIError.usage("--fidelity-visitors must be between 0 and 100000") }
        _ = try parameters()
    }

    func parameters() throws -> [String: [String: ParameterValue]] {
        var out: [String: [String: ParameterValue]] = [:]
        for (key, value) in try ModelParameters.parse(param) {
            guard let dot = key.firstIndex(of: "."), modelList.contains(String(key[..<dot])) else {
                throw CLIError.usage("--param \(key)=… must name one of the evaluated models: model.parameter=value")
            }
            out[String(key[..<dot]), default: [:]][String(key[key.index(after: dot)...])] = value
        }
        return out
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let start = Date()
        let evaluation = try curio.evaluate(EvaluationOptions(models: modelList, split: split, policies: policyList, seed: UInt64(seed),
                                                              fidelityVisitors: fidelityVisitors, parameters: try parameters())) { message in
            if context.showsProgress { context.console.err("evaluate: \(message) (\(String(format: "%.0f", Date().timeIntervalSince(start))) s)") }
        }
        if let report {
            try EvaluationPage.write(evaluation, to: URL(fileURLWithPath: (report as NSString).expandingTildeInPath))
            if !global.json { context.console.err("evaluate: wrote \(report)") }
        }
        if global.json {
            try context.console.printJSON(evaluation)
            return .success
        }
        context.console.out(Self.render(evaluation, width: context.console.width))
        return .success
    }

    static func render(_ e: CurioEvaluation, width: Int) -> String {
        let r = e.report
        var out = "Split \(r.split): \(ProgressBar.grouped(r.trainVisitors)) training visitors, \(ProgressBar.grouped(r.testVisitors)) test visitors "
        out += "(\(ProgressBar.grouped(r.coldVisitors)) cold), \(ProgressBar.grouped(r.catalogueItems)) objects (\(ProgressBar.grouped(r.coldItems)) never seen in training)\n\n"
        let keys = ["ndcg@10", "recall@10", "recall@20", "mrr", "coverage@10", "exposure_gini", "novelty@10", "ild@10"]
        var table = TextTable([.init(title: "model")] + keys.map { .init(title: $0, alignRight: true) }
                              + [.init(title: "cold ndcg@10", alignRight: true), .init(title: "cold-item r@20", alignRight: true),
                                 .init(title: "fidelity", alignRight: true), .init(title: "train s", alignRight: true)])
        for m in r.models {
            var row = [m.name] + keys.map { m.metrics[$0].map { String(format: "%.4f", $0) } ?? "–" }
            row.append(m.coldUsers["ndcg@10"].map { String(format: "%.4f", $0) } ?? "–")
            row.append(m.coldItems["recall@20"].map { String(format: "%.4f", $0) } ?? "–")
            row.append(e.fidelity[m.name].map { String(format: "%.1f%%", $0.fidelity * 100) } ?? "–")
            row.append(m.trainingSeconds.map { String(format: "%.1f", $0) } ?? "–")
            table.append(row)
        }
        out += table.render(width: max(width, 160))
        if !r.comparisons.isEmpty {
            out += "\nSignificance (\(r.comparisons[0].metric), paired):\n"
            for c in r.comparisons {
                out += "  \(c.model) vs \(c.baseline): \(String(format: "%+.4f", c.meanDifference))"
                out += c.relativeDifference.map { String(format: " (%+.1f%%)", $0 * 100) } ?? ""
                out += String(format: ", t-test p = %.2g, Wilcoxon p = %.2g\n", c.tTestP, c.wilcoxonP)
            }
        }
        for p in e.policy {
            out += "\nPolicy \(p.policy) on \(p.model) (lists of \(p.k)):\n"
            var t = TextTable([.init(title: "variant"), .init(title: "ndcg@10", alignRight: true), .init(title: "change", alignRight: true),
                               .init(title: "coverage@10", alignRight: true), .init(title: "dominant maker"),
                               .init(title: "pop. lift", alignRight: true), .init(title: "calib. KL", alignRight: true),
                               .init(title: "ILD", alignRight: true), .init(title: "exposure shares (target)", flexible: true)])
            for v in p.variants {
                let shares = v.exposureShares.sorted { $0.key < $1.key }.map { g, s in
                    "\(g) \(String(format: "%.1f%%", s * 100))" + (v.exposureTargets[g].map { String(format: " (≥ %.0f%%)", $0 * 100) } ?? "")
                }.joined(separator: ", ")
                t.append([v.name, String(format: "%.4f", v.metrics["ndcg@10"] ?? 0), String(format: "%+.1f%%", v.ndcgChange * 100),
                          String(format: "%.4f", v.metrics["coverage@10"] ?? 0),
                          "\(v.dominantMaker) \(String(format: "%.1f%%", v.dominantMakerShare * 100))",
                          String(format: "%+.2f", v.popularityLift), String(format: "%.3f", v.calibrationKL),
                          String(format: "%.3f", v.intraListDiversity), shares])
            }
            out += t.render(width: max(width, 160))
        }
        return out
    }
}

/// `curio tune --model NAME`: hyper-parameter search on a validation split.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "tune",
        abstract: "Search a model's hyper-parameters on a validation split of the training events.",
        discussion: """
            The validation split is carved out of the training part of --split, so the final test set stays \
            unseen. Without --param, a default space per model is searched (see docs/recommenders.md). \
            Retrain the winner with `curio train --model NAME --param …`.
            """,
        examples: ["curio tune --model als", "curio tune --model ease --param lambda=50,100,200,400",
                   "curio tune --model hybrid --trials 8 --metric recall@20 --json"])

    @Option(valueName: "name", help: "popularity, itemknn, ease, als, bpr, content or hybrid.")
    var model: String = "als"
    @Option(valueName: "name=v1,v2", help: "Values to try for a parameter (repeatable).")
    var param: [String] = []
    @Option(valueName: "n", help: "Random search with this many trials instead of the full grid.")
    var trials: Int?
    @Option(valueName: "metric", help: "Metric to maximise (ndcg@10, recall@20, mrr…).")
    var metric: String = "ndcg@10"
    @Option(valueName: "name", help: "leave-last, user-temporal or global-temporal.")
    var split: String = "global-temporal"
    @Option(valueName: "n", help: "Random seed.")
    var seed: Int = 42

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard ModelRegistry.names.contains(model) else {
            throw CLIError.usage("--model must be one of \(ModelRegistry.names.joined(separator: ", ")), got '\(model)'")
        }
        if let trials, !(1...1_000).contains(trials) { throw CLIError.usage("--trials must be between 1 and 1000") }
        if seed < 0 { throw CLIError.usage("--seed must not be negative") }
        _ = try space()
    }

    func space() throws -> [String: [ParameterValue]]? {
        guard !param.isEmpty else { return nil }
        var out: [String: [ParameterValue]] = [:]
        for pair in param {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw CLIError.usage("--param expects name=v1,v2, got '\(pair)'") }
            let values = pair[pair.index(after: eq)...].split(separator: ",").map { ParameterValue.parse(String($0).trimmingWhitespace()) }
            if values.isEmpty { throw CLIError.usage("--param \(pair) lists no value") }
            out[String(pair[..<eq])] = values
        }
        return out
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let result = try curio.tune(model: model, space: try space(), trials: trials, metric: metric, split: split,
                                    seed: UInt64(seed)) { done, total, trial in
            if context.showsProgress {
                let p = trial.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                context.console.err(String(format: "tune: %d/%d %@ %@ = %.4f (%.1f s)", done, total, p, metric, trial.score, trial.trainingSeconds))
            }
        }
        if global.json {
            try context.console.printJSON(result)
            return .success
        }
        var table = TextTable([.init(title: "#", alignRight: true), .init(title: metric, alignRight: true),
                               .init(title: "train s", alignRight: true), .init(title: "parameters", flexible: true)])
        for (n, t) in result.trials.enumerated() {
            table.append(["\(n + 1)", String(format: "%.4f", t.score), String(format: "%.1f", t.trainingSeconds),
                          t.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        }
        context.console.out(table.render(width: context.console.width))
        if let best = result.best {
            let params = best.parameters.sorted { $0.key < $1.key }.map { "--param \($0.key)=\($0.value)" }.joined(separator: " ")
            context.console.out("\nBest: curio train --model \(model) \(params)\n")
        }
        return .success
    }
}
