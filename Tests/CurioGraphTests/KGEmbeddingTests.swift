import CurioCore
@testable import CurioGraph
import CurioMath
import CurioRecommend
import Foundation
import Testing

/// 20 clusters; each has a maker and three subjects. Items take their cluster's maker and two of its subjects,
/// plus one subject from anywhere (noise). Two items per cluster have their maker edge held out.
enum ClusterWorld {
    static func build() -> (full: KnowledgeGraph, training: KnowledgeGraph, heldOut: [(String, String)]) {
        var random = SeededRandom(seed: 99)
        var concepts: [Concept] = []
        for s in 0..<60 { concepts.append(Concept(id: ConceptID("s\(s)"), scheme: .subject, label: "subject \(s)")) }
        var agents: [Agent] = []
        var items: [Item] = [], trainingItems: [Item] = []
        var heldOut: [(String, String)] = []
        for c in 0..<20 {
            agents.append(Agent(id: AgentID("maker\(c)"), name: "Maker \(c)"))
            for k in 0..<12 {
                let own = [3 * c, 3 * c + 1, 3 * c + 2].shuffled(using: &random).prefix(2)
                let subjects = (Array(own) + [random.nextInt(below: 60)]).map { ConceptID("s\($0)") }
                let item = Item(id: ItemID("c\(c)-\(k)"), source: "test", title: "Item \(k) of \(c)",
                                makers: [MakerCredit(agent: AgentID("maker\(c)"), name: "Maker \(c)")], subjects: subjects)
                items.append(item)
                var training = item
                if k < 2 {
                    training.makers = []
                    heldOut.append((item.id.rawValue, "maker\(c)"))
                }
                trainingItems.append(training)
            }
        }
        return (KnowledgeGraph.build(items: items, agents: agents, concepts: concepts),
                KnowledgeGraph.build(items: trainingItems, agents: agents, concepts: concepts), heldOut)
    }
}

@Suite struct KGEmbeddingTests {
    @Test(arguments: KGEmbeddingModel.allCases)
    func gradientsMatchFiniteDifferences(model: KGEmbeddingModel) {
        var random = SeededRandom(seed: 1)
        let d = 8
        let rw = model == .transE ? d : d / 2
        var h = (0..<d).map { _ in random.nextFloat() - 0.5 }
        let r = (0..<rw).map { _ in (random.nextFloat() - 0.5) * 2 }
        let t = (0..<d).map { _ in random.nextFloat() - 0.5 }
        var gh = [Float](repeating: 0, count: d), gr = [Float](repeating: 0, count: rw), gt = [Float](repeating: 0, count: d)
        KGKernels.accumulate(model, h, r, t, d, scale: 1, &gh, &gr, &gt)
        func dist(_ h: [Float], _ r: [Float], _ t: [Float]) -> Double { Double(KGKernels.distance(model, h, r, t, d)) }
        let eps: Float = 1e-3
        for i in 0..<d {
            let saved = h[i]
            h[i] = saved + eps
            let up = dist(h, r, t)
            h[i] = saved - eps
            let down = dist(h, r, t)
            h[i] = saved
            #expect(abs((up - down) / Double(2 * eps) - Double(gh[i])) < 2e-2, "∂d/∂h[\(i)]")
        }
        var rr = r
        for i in 0..<rw {
            let saved = rr[i]
            rr[i] = saved + eps
            let up = dist(h, rr, t)
            rr[i] = saved - eps
            let down = dist(h, rr, t)
            rr[i] = saved
            #expect(abs((up - down) / Double(2 * eps) - Double(gr[i])) < 2e-2, "∂d/∂r[\(i)]")
        }
        var tt = t
        for i in 0..<d {
            let saved = tt[i]
            tt[i] = saved + eps
            let up = dist(h, r, tt)
            tt[i] = saved - eps
            let down = dist(h, r, tt)
            tt[i] = saved
            #expect(abs((up - down) / Double(2 * eps) - Double(gt[i])) < 2e-2, "∂d/∂t[\(i)]")
        }
    }

    @Test(arguments: KGEmbeddingModel.allCases)
    func embeddingsAreDeterministicForASeedWhateverTheThreads(model: KGEmbeddingModel) throws {
        let g = SmallCollection.graph()
        let one = KGEmbeddingOptions(model: model, dimension: 16, epochs: 3, seed: 5, batchSize: 8, threads: 1)
        var two = one
        two.threads = 2
        let a = try KGEmbeddingTrainer.train(graph: g, options: one).0
        let b = try KGEmbeddingTrainer.train(graph: g, options: two).0
        let c = try KGEmbeddingTrainer.train(graph: g, options: one).0
        #expect(a == b)
        #expect(a == c)
        var other = one
        other.seed = 6
        #expect(try KGEmbeddingTrainer.train(graph: g, options: other).0 != a)
        let vectors = a.itemVectors()
        #expect(vectors.count == 7)
        #expect(vectors["i1"]?.count == 16)
    }

    @Test(arguments: KGEmbeddingModel.allCases)
    func heldOutMakersArePredictedFarAboveChance(model: KGEmbeddingModel) throws {
        let world = ClusterWorld.build()
        let options = KGEmbeddingOptions(model: model, dimension: 32, epochs: 60, negatives: 8, seed: 3, batchSize: 64)
        let (embeddings, report) = try KGEmbeddingTrainer.train(graph: world.training, options: options)
        #expect(report.epochLosses.last! < report.epochLosses.first!)
        let g = world.training
        let tests = try world.heldOut.map { (try g.resolve($0.0), Relation.maker, try g.resolve("agent:" + $0.1)) }
        let result = embeddings.tailPrediction(tests, candidates: g.nodesByKind[Int(NodeKind.agent.rawValue)], known: g)
        // Chance: mean reciprocal rank over 20 makers ≈ 0.18.
        #expect(result.mrr > 0.5, "MRR \(result.mrr)")
    }

    @Test func embeddingRecommenderPrefersTheLikedCluster() throws {
        let world = ClusterWorld.build()
        let options = KGEmbeddingOptions(model: .rotatE, dimension: 32, epochs: 40, seed: 3, batchSize: 64)
        let embeddings = try KGEmbeddingTrainer.train(graph: world.full, options: options).0
        let catalogue = world.full.nodes(of: .item).map { ItemID(world.full.key(of: $0)) }
        let interactions = (0..<20).flatMap { c in (0..<3).map { Interaction(user: c, item: c * 12 + $0, weight: 1, time: 0) } }
        let matrix = try InteractionMatrix(userIDs: (0..<20).map { VisitorID("v\($0)") }, itemIDs: catalogue,
                                           interactions: interactions)
        let model = GraphEmbeddingRecommender(embeddings: embeddings, interactions: matrix)
        // Visitor 4 liked three items of cluster 4: most of the top 9 should be cluster 4's other items.
        let top = model.recommend(user: 4, k: 9, excluding: matrix.seenItems(ofUser: 4))
        #expect(top.filter { $0.id.rawValue.hasPrefix("c4-") }.count >= 6)
        // Contributions are exact and removing the cited liked item lowers the score.
        let history = matrix.history(ofUser: 4).map { WeightedItem(catalogue[$0.item], weight: Double($0.weight)) }
        let item = top[0].id
        let parts = model.contributions(item, history: history)
        #expect(abs(parts.reduce(0) { $0 + $1.weight } - Double(top[0].score)) < 1e-4)
        let report = Fidelity.measure(model, cases: [FidelityCase(history: history, recommended: top.map(\.id))])
        #expect(report.fidelity == 1)
        // Artefact round trip.
        let back = try GraphEmbeddingRecommender(artefact: ModelArtefact.decode(model.artefact().encoded()))
        #expect(back.scores(forUser: 4) == model.scores(forUser: 4))
    }

    @Test func impossibleSettingsAreRefused() {
        let g = SmallCollection.graph()
        #expect(throws: GraphError.self) { try KGEmbeddingTrainer.train(graph: g, options: .init(model: .rotatE, dimension: 7)) }
        #expect(throws: GraphError.self) { try KGEmbeddingTrainer.train(graph: g, options: .init(negatives: 0)) }
        #expect(throws: GraphError.self) {
            try KGEmbeddingTrainer.train(graph: KnowledgeGraphBuilder().finish(), options: .init())
        }
    }
}
