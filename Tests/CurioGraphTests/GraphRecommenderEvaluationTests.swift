import CurioCore
@testable import CurioGraph
import CurioMath
import CurioRecommend
import Foundation
import Testing

/// A slice of the Tate collection (every 25th artwork) with simulated visitors, shared by the tests below.
struct SimulatedTate: Sendable {
    let items: [Item]
    let graph: KnowledgeGraph
    let split: EvaluationSplit

    static let shared: SimulatedTate? = {
        guard let tate = TateCollection.shared else { return nil }
        let items = stride(from: 0, to: tate.items.count, by: 25).map { tate.items[$0] }
        let graph = KnowledgeGraph.build(items: items, agents: tate.agents, concepts: tate.concepts)
        var config = VisitorSimulator.Configuration()
        config.visitors = 400
        config.seed = 11
        guard let simulator = try? VisitorSimulator(items: items, concepts: tate.concepts, agents: tate.agents,
                                                    configuration: config) else { return nil }
        let events = simulator.run().events
        let builder = InteractionBuilder(now: Date(timeIntervalSince1970: 1_800_000_000))
        guard let data = try? builder.build(events: events, catalogue: items.map(\.id)),
              var split = try? EvaluationSplit(data, strategy: .leaveLastOut) else { return nil }
        // Ranking every item is the slow part in debug builds: evaluate the first 80 test visitors.
        split.cases = Array(split.cases.prefix(80))
        return SimulatedTate(items: items, graph: graph, split: split)
    }()
}

@Suite(.enabled(if: SimulatedTate.shared != nil, "needs shared/data/tate"))
struct GraphRecommenderEvaluationTests {
    @Test func graphModelRunsThroughTheEvaluatorWithFaithfulExplanations() throws {
        let world = try #require(SimulatedTate.shared)
        let model = try GraphRecommender.train(on: TrainingData(interactions: world.split.train), graph: world.graph, seed: 5)
        let report = try #require(model.fitReport)
        #expect(report.pairwiseAccuracy > 0.6)
        let evaluation = Evaluator().evaluate(model, on: world.split)
        #expect(evaluation.result.users == world.split.cases.count)
        #expect(evaluation.result.metrics["ndcg@10"] != nil)

        // Fidelity on the recommendations the evaluator ranked: both ways of removing evidence.
        var cases: [FidelityCase] = []
        for test in world.split.cases.prefix(40) {
            let history = test.trainUser.map { model.histories[$0] } ?? test.history
            let top = model.recommend(history: history, k: 5, excluding: test.excluded).filter { $0.score > 0 }
            cases.append(FidelityCase(history: model.weightedItems(history), recommended: top.map(\.id)))
        }
        try #require(cases.reduce(0) { $0 + $1.recommended.count } > 80)
        var scorer = model.model
        let links = Fidelity.measure(scorer, cases: cases)
        scorer.removal = .likedItem
        let liked = Fidelity.measure(scorer, cases: cases)
        #expect(links.fidelity >= 0.9)
        #expect(liked.fidelity >= 0.9)
        #expect(links.meanDrop > 0 && liked.meanDrop > 0)
    }

    @Test func artefactRoundTripGivesTheSameScores() throws {
        let world = try #require(SimulatedTate.shared)
        var config = GraphRecommender.Configuration()
        config.maxVisitors = 100
        config.iterations = 50
        let model = try GraphRecommender.train(on: TrainingData(interactions: world.split.train), graph: world.graph,
                                               configuration: config, seed: 1)
        let data = try model.artefact().encoded()
        let back = try GraphRecommender(artefact: ModelArtefact.decode(data), graph: world.graph)
        #expect(back.model.weights == model.model.weights)
        for user in [0, 7, 42] { #expect(back.scores(forUser: user) == model.scores(forUser: user)) }
        #expect(back.similarItems(to: 3, k: 5) == model.similarItems(to: 3, k: 5))
        // A corrupted artefact is refused with a clear error.
        var bad = try model.artefact()
        bad.tensors["meta_path_weights"] = .float64([1], shape: [1])
        #expect(throws: RecommendError.self) { try GraphRecommender(artefact: bad, graph: world.graph) }
    }

    @Test func unknownMetaPathsAreRefused() throws {
        let world = try #require(SimulatedTate.shared)
        var config = GraphRecommender.Configuration()
        config.metaPaths = ["item-maker-item", "item-colour-item"]
        #expect(throws: RecommendError.self) {
            try GraphRecommender.train(on: TrainingData(interactions: world.split.train), graph: world.graph, configuration: config)
        }
    }
}
