import CurioCore
import CurioMath
import CurioRecommend
import CurioVisits
import Foundation

/// Next-exhibit prediction on simulated visits: the shared visitor simulator (CurioRecommend) walking room by room
/// through the example venue, whole sessions held out (most recent 20%), every next step predicted with full
/// ranking over all items on display.
enum NextExhibitBenchmark {
    static func run(data: BenchData, quick: Bool) throws {
        var config = VisitorSimulator.Configuration()
        config.visitors = option("--visitors").flatMap(Int.init) ?? (quick ? 1500 : 5000)
        config.seed = 7
        let simulator = try VisitorSimulator(items: data.items, concepts: data.concepts, agents: data.agents,
                                             configuration: config, walk: VenueRoomWalk(venue: data.venue))
        var output: VisitorSimulator.Output?
        let simulated = measure { output = simulator.run() }
        let sessions = VisitSessions.build(from: output?.events ?? [])
        let split = try NextExhibitEvaluation.split(sessions, testFraction: 0.2, mode: .temporal)
        let vocabulary = ItemVocabulary(sessions: sessions, extra: data.venue.placements.map(\.item))
        let steps = split.test.reduce(0) { $0 + $1.items.count - 1 }
        print("next/data: \(config.visitors) simulated visitors, \(sessions.count) sessions (mean \(fmt(Double(sessions.reduce(0) { $0 + $1.items.count }) / Double(max(1, sessions.count)), 1)) items), "
            + "\(split.train.count) train / \(split.test.count) held-out sessions (\(steps) predictions), \(vocabulary.count) items ranked; simulated in \(fmt(simulated.wall / 1000, 1)) s")

        var results: [(String, NextExhibitMetrics, NextExhibitMetrics, Double)] = []
        var popularity: PopularityNextModel?
        let tp = measure { popularity = PopularityNextModel(sessions: split.train, vocabulary: vocabulary) }
        var transitions: TransitionNextModel?
        let tt = measure { transitions = TransitionNextModel.fit(sessions: split.train, vocabulary: vocabulary, venue: data.venue) }
        var sasConfig = SASRecConfiguration()
        if quick { sasConfig.epochs = 12 }
        if let v = option("--sasrec-dim").flatMap(Int.init) { sasConfig.dimension = v }
        if let v = option("--sasrec-blocks").flatMap(Int.init) { sasConfig.blocks = v }
        if let v = option("--sasrec-dropout").flatMap(Float.init) { sasConfig.dropout = v }
        if let v = option("--sasrec-epochs").flatMap(Int.init) { sasConfig.epochs = v }
        var sasrec: SASRecModel?
        let ts = try measure { sasrec = try SASRecTrainer(configuration: sasConfig).train(sessions: split.train, vocabulary: vocabulary) }
        // The blend weight is chosen on the most recent 10% of the training sessions (SASRec's early-stopping
        // sessions, which it did not train on), with transition counts from the rest.
        let ordered = split.train.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let cut = ordered.count - max(2, Int(Double(ordered.count) * sasConfig.validationFraction))
        let earlier = TransitionNextModel(sessions: Array(ordered[..<cut]), vocabulary: vocabulary, venue: data.venue,
                                          alpha: transitions!.alpha, lambda: transitions!.lambda, tau: transitions!.tau)
        let tuned = try BlendedNextModel.fit(sequence: sasrec!, baseline: earlier, validation: Array(ordered[cut...]))
        let blended = try BlendedNextModel(sequence: sasrec!, baseline: transitions!, weight: tuned.weight)
        print("next/blend weight of sasrec: \(tuned.weight)")
        for (name, model, time) in [("popularity", popularity! as any NextExhibitModel, tp.wall), ("transitions", transitions!, tt.wall),
                                    ("sasrec", sasrec!, ts.wall), ("sasrec+trans", blended, ts.wall + tt.wall)] {
            results.append((name, NextExhibitEvaluation.evaluate(model, on: split.test, k: 10),
                            NextExhibitEvaluation.evaluate(model, on: split.test, k: 10, target: .lastStep), time))
        }
        if let t = transitions {
            print("next/transitions tuned: alpha \(t.alpha), lambda \(t.lambda), tau \(t.tau) s")
        }
        if let s = sasrec {
            print("next/sasrec: d=\(s.configuration.dimension), \(s.configuration.blocks) blocks, dropout \(s.configuration.dropout), max length \(s.configuration.maxLength), "
                + "kept epoch \(s.bestEpoch) of \(s.epochs.count) (validation NDCG@10 \(fmt(s.epochs.first { $0.epoch == s.bestEpoch }?.validationNDCG ?? .nan)))")
        }
        print("next/model         NDCG@10 (±se)      HR@10   MRR    | last step: NDCG@10  HR@10 | train s")
        for (name, every, last, time) in results {
            print("next/" + name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + "\(fmt(every.ndcg)) (±\(fmt(every.ndcgStandardError)))  \(fmt(every.hitRate))  \(fmt(every.mrr))  |            \(fmt(last.ndcg))  \(fmt(last.hitRate)) | \(fmt(time / 1000, 1))")
        }
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.0, $0.1) })
        if let s = byName["sasrec"], let t = byName["transitions"], let p = byName["popularity"], let b = byName["sasrec+trans"] {
            print("next/ratio NDCG@10: sasrec / transitions = \(fmt(s.ndcg / t.ndcg, 2)), sasrec+trans / transitions = \(fmt(b.ndcg / t.ndcg, 2)), "
                + "transitions / popularity = \(fmt(t.ndcg / p.ndcg, 2))")
        }
    }
}
