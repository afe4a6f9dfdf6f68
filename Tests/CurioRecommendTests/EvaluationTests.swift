import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct EvaluationTests {
    /// Three visitors with timed interactions over five items.
    func smallMatrix() throws -> InteractionMatrix {
        var events: [Event] = []
        let plan: [(String, [(String, Double)])] = [
            ("a", [("I1", 1), ("I2", 2), ("I3", 3), ("I4", 10)]),
            ("b", [("I2", 1), ("I3", 4), ("I5", 11)]),
            ("c", [("I4", 12), ("I1", 13)]),
        ]
        for (visitor, list) in plan {
            for (item, d) in list {
                events.append(Event(visitor: VisitorID(visitor), item: ItemID(item), kind: .view, timestamp: day(d)))
            }
        }
        return try InteractionBuilder(now: day(100)).build(events: events, catalogue: ["I1", "I2", "I3", "I4", "I5", "I6"])
    }

    @Test func leaveLastOutHoldsOutEachVisitorsLatestItem() throws {
        let split = try EvaluationSplit(try smallMatrix(), strategy: .leaveLastOut)
        #expect(split.cases.count == 3)
        let a = try #require(split.cases.first { $0.visitor == "a" })
        #expect(a.targets == [3])
        #expect(a.excluded == [0, 1, 2])
        #expect(split.train.matrix.nonZeroCount == 6)
    }

    @Test func userTemporalHoldsOutTheLastFraction() throws {
        let split = try EvaluationSplit(try smallMatrix(), strategy: .userTemporal(testFraction: 0.5))
        let a = try #require(split.cases.first { $0.visitor == "a" })
        #expect(a.targets == [2, 3])
        #expect(a.history.count == 2)
    }

    @Test func globalTemporalNeverTrainsOnTheFutureAndRevealsNewVisitorsFirstEvent() throws {
        let cutoff = day(9)
        let split = try EvaluationSplit(try smallMatrix(), strategy: .globalTemporal(cutoff: cutoff, testFraction: 0.2))
        #expect(split.train.times.allSatisfy { $0 < cutoff.timeIntervalSince1970 })
        #expect(split.train.userIDs == ["a", "b"])
        let c = try #require(split.cases.first { $0.visitor == "c" })
        #expect(c.trainUser == nil)
        #expect(c.hasRevealedHistory)
        #expect(c.history.map(\.item) == [3])
        #expect(c.targets == [0])
        #expect(c.isColdUser)
        #expect(split.coldItems == [3, 4, 5])
    }

    @Test func evaluatorScoresRankingsWithTheMetricFunctions() throws {
        let split = try EvaluationSplit(try smallMatrix(), strategy: .leaveLastOut)
        // Perfect lists: each visitor's target first.
        let perfect = split.cases.map { Array($0.targets) + [5] }
        let evaluator = Evaluator(cutoffs: [1, 5])
        let result = evaluator.evaluate(rankings: perfect, name: "oracle", on: split).result
        #expect(result.metrics["ndcg@1"] == 1)
        #expect(result.metrics["recall@5"] == 1)
        #expect(result.metrics["mrr"] == 1)
        let empty = evaluator.evaluate(rankings: split.cases.map { _ in [5] }, name: "bad", on: split).result
        #expect(empty.metrics["recall@5"] == 0)
        #expect(empty.metrics["coverage@1"] == 1.0 / 6)
        #expect(empty.metrics["exposure_gini@1"] ?? 0 > 0.8)
    }

    @Test func reportIsCodableWithConventionalNamesAndRendersAsHTML() throws {
        let data = ModelFixtures.data
        let split = try EvaluationSplit(data.interactions, strategy: .globalTemporal(cutoff: nil, testFraction: 0.2))
        let evaluator = Evaluator(cutoffs: [5, 10, 20], content: data.content)
        let train = TrainingData(interactions: split.train, content: data.content)
        let evaluations = try ["popularity", "itemknn", "content"].map { name in
            evaluator.evaluate(try ModelFixtures.train(name, on: train), on: split, trainingSeconds: 0.1)
        }
        let report = evaluator.report(evaluations, split: split, baseline: "popularity")
        #expect(report.comparisons.count == 2)
        #expect(report.comparisons.allSatisfy { $0.baseline == "popularity" && $0.tTestP >= 0 && $0.tTestP <= 1 })
        let json = String(decoding: try report.json(), as: UTF8.self)
        for key in ["\"ndcg@10\"", "\"recall@20\"", "\"exposure_gini\"", "\"cold_users\"", "\"cold_items\"", "\"wilcoxon_p\"", "\"ild@10\""] {
            #expect(json.contains(key), "\(key)")
        }
        let decoded = try EvaluationReport.decode(try report.json())
        #expect(decoded.models.map(\.name) == ["popularity", "itemknn", "content"])
        let html = HTMLReport.render(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"))
        #expect(html.contains("itemknn"))
        #expect(HTMLReport.escape("<a & \"b\">") == "&lt;a &amp; &quot;b&quot;&gt;")
    }

    @Test func hybridBeatsItsCollaborativeOnlyAndContentOnlyParts() throws {
        let data = ModelFixtures.data
        let split = try EvaluationSplit(data.interactions, strategy: .globalTemporal(cutoff: nil, testFraction: 0.3))
        let features = try #require(data.content)
        let graph = ItemGraph.contentNeighbours(features, neighbours: 10).symmetrised().symmetricNormalised()
        let evaluator = Evaluator(cutoffs: [10])
        let full = HybridRecommender.Configuration(collaborativeNeighbours: 50)
        func score(_ c: HybridRecommender.Configuration) throws -> ModelEvaluation {
            evaluator.evaluate(try HybridRecommender.train(on: split.train, contentGraph: graph, configuration: c), on: split)
        }
        let hybrid = try score(full)
        let cf = try score(full.collaborativeOnly)
        let content = try score(full.contentOnly)
        let h = try #require(hybrid.result.metrics["ndcg@10"])
        print("hybrid \(h) cf \(cf.result.metrics["ndcg@10"] ?? 0) content \(content.result.metrics["ndcg@10"] ?? 0)")
        #expect(h > cf.result.metrics["ndcg@10"] ?? 1)
        #expect(h > content.result.metrics["ndcg@10"] ?? 1)
    }

    @Test func tunerFindsTheBetterSettingAndRanksTrials() throws {
        let split = try #require(ModelFixtures.split)
        let tuner = Tuner(model: "itemknn", space: ["neighbours": [.number(1), .number(50)], "similarity": [.text("cosine")]],
                          evaluator: Evaluator(cutoffs: [10]))
        #expect(tuner.candidates().count == 2)
        let result = try tuner.run(on: split)
        #expect(result.trials.count == 2)
        #expect(result.best?.parameters["neighbours"] == .number(50))
        #expect(result.trials[0].score >= result.trials[1].score)
        let random = Tuner(model: "als", space: ["factors": [.number(4), .number(8)], "alpha": [.number(1), .number(2), .number(4)]],
                           strategy: .random(trials: 4))
        let candidates = random.candidates()
        #expect(candidates.count == 4)
        #expect(Set(candidates).count == 4)
        #expect(candidates == random.candidates())
    }
}
