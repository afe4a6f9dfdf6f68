import CurioCore
import CurioMath
@testable import CurioGraph
import Testing

/// Hand-computed random-walk values on ``SmallCollection`` for the history [i1 Norham Castle (Turner, c.1845, river)].
///
/// sameMaker i1→Turner←{i1,i2,i6}: 1/3 · decade 1840s {i1,i2}: 1/2 · century 19th {i1,i2,i3,i4,i5,i7}: 1/6 ·
/// oil paint, canvas, painting {i1…i5}: 1/5 each · river {i1,i3,i5}: 1/3 ·
/// broader landscape ← {river, tree}, tree ← {i3}: 1/2 (river→river is excluded: the leaves must differ) ·
/// same place London ← {Turner, Rossetti} (not Turner again), Rossetti ← {i4}: 1/2 ·
/// same country UK ← {London, East Bergholt, Southampton} (not London again): 1/3 to i3 (Constable) and i5 (Millais).
enum HandValues {
    static let i2 = 1.0 / 3 + 1.0 / 2 + 1.0 / 6 + 3.0 / 5
    static let i3 = 1.0 / 3 + 1.0 / 2 + 1.0 / 6 + 1.0 / 3 + 3.0 / 5
    static let i4 = 1.0 / 2 + 1.0 / 6 + 3.0 / 5
    static let i5 = 1.0 / 3 + 1.0 / 6 + 1.0 / 3 + 3.0 / 5
    static let i6 = 1.0 / 3
    static let i7 = 1.0 / 6
}

@Suite struct MetaPathRecommenderTests {
    let g = SmallCollection.graph()
    var index: MetaPathIndex { MetaPathIndex(graph: g, metaPaths: MetaPath.catalogue) }
    let history = [WeightedItem("i1")]

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test func denseScoresMatchHandComputedRandomWalks() throws {
        let r = MetaPathRecommender(index: index)
        let s = r.scores(history: history)
        func at(_ id: ItemID) -> Double { s[index.denseIndex(of: id)!] }
        #expect(close(at("i2"), HandValues.i2))
        #expect(close(at("i3"), HandValues.i3))
        #expect(close(at("i4"), HandValues.i4))
        #expect(close(at("i5"), HandValues.i5))
        #expect(close(at("i6"), HandValues.i6))
        #expect(close(at("i7"), HandValues.i7))
    }

    @Test func exactPairScoresAndContributionsAgreeWithDenseScores() throws {
        var r = MetaPathRecommender(index: index)
        r.weights = r.weights.enumerated().map { Double($0.offset % 3) + 0.5 }
        let h = [WeightedItem("i1"), WeightedItem("i5", weight: 0.5), WeightedItem("i6", weight: 2)]
        let dense = r.scores(history: h)
        for id in ["i2", "i3", "i4", "i7"] as [ItemID] {
            let exact = r.score(id, history: h)
            #expect(abs(exact - dense[index.denseIndex(of: id)!]) < 1e-12)
            let parts = r.contributions(id, history: h)
            #expect(abs(parts.reduce(0) { $0 + $1.weight } - exact) < 1e-12)
        }
    }

    @Test func recommendationsRankByScoreAndSkipTheHistory() throws {
        let r = MetaPathRecommender(index: index)
        let top = r.recommend(history: history, count: 10)
        #expect(top.map(\.item) == ["i3", "i2", "i5", "i4", "i6", "i7"])
        #expect(close(top[0].score, HandValues.i3))
        #expect(r.recommend(history: history, count: 2, excluding: ["i3"]).map(\.item) == ["i2", "i5"])
    }

    @Test func theBestExplanationIsTheStrongestPathAndReadsNaturally() throws {
        var r = MetaPathRecommender(index: index)
        r.weights[index.metaPaths.firstIndex(of: .sameMaker)!] = 2
        let e = r.explain("i2", history: history)
        #expect(e.because.first?.kind == .sharedMaker)
        #expect(e.because.first?.via?.label == "Joseph Mallord William Turner")
        #expect(close(e.because.first!.weight, 2.0 / 3))
        #expect(e.because.first?.likedItem == "i1")
        #expect(e.sentence == "Because you liked *Norham Castle, Sunrise*: also by Joseph Mallord William Turner, from the 1840s")
        let fr = r.explain("i2", history: history, language: "fr")
        #expect(fr.sentence == "Parce que vous avez aimé *Norham Castle, Sunrise* : aussi de Joseph Mallord William Turner, de la même période (1840s)")

        // For the Hay Wain the strongest single path is the broader subject "landscape" (1/2), through a different leaf.
        let hayWain = r.explain("i3", history: history)
        #expect(hayWain.because.first?.kind == .broaderSubject)
        #expect(hayWain.because.first?.via?.label == "landscape")
        #expect(hayWain.sentence.hasPrefix("Because you liked *Norham Castle, Sunrise*: also about landscape"))
    }

    @Test func placeEvidenceNamesThePlaceAndADifferentArtist() throws {
        let r = MetaPathRecommender(index: index)
        let parts = Explainer.aggregate(r.contributions("i4", history: history))
        #expect(parts.first?.kind == .samePlace)
        #expect(parts.first?.via?.label == "London, United Kingdom")
        #expect(close(parts.first!.weight, 0.5))
    }

    @Test func fidelityMatchesHandComputedDrops() throws {
        var r = MetaPathRecommender(index: index)
        r.weights[index.metaPaths.firstIndex(of: .sameMaker)!] = 2
        let cases = [FidelityCase(history: history, recommended: ["i2", "i3"])]
        // Cutting i2's maker link to Turner removes exactly 2/3; cutting i3's link to "tree" removes exactly 1/2.
        #expect(close(r.score("i2", history: history, removing: r.explain("i2", history: history).because[0]),
                      HandValues.i2 + 1.0 / 3 - 2.0 / 3))
        let links = Fidelity.measure(r, cases: cases)
        #expect(links.recommendations == 2 && links.explained == 2 && links.dropped == 2)
        #expect(close(links.fidelity, 1))
        #expect(close(links.meanDrop, (2.0 / 3 + 1.0 / 2) / 2))
        let score = HandValues.i3  // i2 with the maker weight doubled scores the same: 29/15
        #expect(close(links.meanRelativeDrop, ((2.0 / 3) / score + 0.5 / score) / 2))
        // Removing the liked item instead drops the whole score (the history had one item).
        r.removal = .likedItem
        let liked = Fidelity.measure(r, cases: cases)
        #expect(close(liked.meanDrop, score))
        #expect(close(liked.meanRelativeDrop, 1))
    }

    @Test func metaPathInstanceCountsBetweenTwoItems() {
        let counts = index.instanceCounts(from: "i1", to: "i3")
        #expect(counts["item-subject-item"] == 1)
        #expect(counts["item-subject-broader-subject-item"] == 1)
        #expect(counts["item-century-item"] == 1)
        #expect(counts["item-maker-place-country-place-maker-item"] == 1)
        #expect(counts["item-medium-item"] == 1 && counts["item-support-item"] == 1 && counts["item-classification-item"] == 1)
        #expect(counts["item-maker-item"] == 0 && counts["item-decade-item"] == 0 && counts["item-maker-place-maker-item"] == 0)
        #expect(index.instanceCounts(from: "i1", to: "i1").values.allSatisfy { $0 == 0 })
    }

    @Test func metaPathInstanceCountsFromOneItem() {
        let counts = index.instanceCounts(from: "i1")
        func check(_ name: String, _ instances: Int, _ items: Int) {
            #expect(counts[name]?.instances == instances, "\(name) instances")
            #expect(counts[name]?.items == items, "\(name) items")
        }
        check("item-maker-item", 2, 2)
        check("item-subject-item", 2, 2)
        check("item-subject-broader-subject-item", 1, 1)
        check("item-century-item", 5, 5)
        check("item-decade-item", 1, 1)
        check("item-maker-place-maker-item", 1, 1)
        check("item-maker-place-country-place-maker-item", 2, 2)
        check("item-medium-item", 4, 4)
        check("item-movement-item", 0, 0)
    }

    @Test func fidelityExposesExplanationsThatDoNotDriveTheScore() {
        /// Claims a shared maker, but scores by title length only: removing the claim changes nothing.
        struct Unfaithful: ExplainableScorer {
            func score(_ item: ItemID, history: [WeightedItem]) -> Double { Double(item.rawValue.count) }
            func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
                [Evidence(kind: .sharedMaker, likedItem: history.first?.item, weight: 1)]
            }
        }
        let report = Fidelity.measure(Unfaithful(), cases: [FidelityCase(history: [WeightedItem("a")], recommended: ["x", "yy"])])
        #expect(report.explained == 2)
        #expect(report.dropped == 0)
        #expect(report.fidelity == 0)
    }
}

/// A synthetic collection where visitors follow makers: 12 makers × 15 items, each item with 2 random subjects
/// out of 40 (noise) and a random decade.
enum MakerWorld {
    static func build(seed: UInt64 = 7) -> (KnowledgeGraph, [VisitorID: [WeightedItem]]) {
        var rng = SeededRandom(seed: seed)
        var concepts: [Concept] = [Concept(id: "s:root", scheme: .subject, label: "root")]
        for s in 0..<40 { concepts.append(Concept(id: ConceptID("s:\(s)"), scheme: .subject, label: "subject \(s)", broader: "s:root", level: 1)) }
        var agents: [Agent] = []
        var items: [Item] = []
        for m in 0..<12 {
            agents.append(Agent(id: AgentID("m\(m)"), name: "Maker \(m)"))
            for k in 0..<15 {
                let year = 1800 + 10 * rng.nextInt(below: 20)
                items.append(Item(id: ItemID("m\(m)-\(k)"), source: "test", title: "Work \(k) by \(m)",
                                  makers: [MakerCredit(agent: AgentID("m\(m)"), name: "Maker \(m)")],
                                  date: DateRange(text: "\(year)", startYear: year, endYear: year),
                                  subjects: [ConceptID("s:\(rng.nextInt(below: 40))"), ConceptID("s:\(rng.nextInt(below: 40))")]))
            }
        }
        let graph = KnowledgeGraph.build(items: items, agents: agents, concepts: concepts)
        var visitors: [VisitorID: [WeightedItem]] = [:]
        for v in 0..<60 {
            let m = rng.nextInt(below: 12)
            var chosen = Set<Int>()
            while chosen.count < 5 { chosen.insert(rng.nextInt(below: 15)) }
            visitors[VisitorID("v\(v)")] = chosen.sorted().map { WeightedItem(ItemID("m\(m)-\($0)")) }
        }
        return (graph, visitors)
    }
}

@Suite struct MetaPathLearningTests {
    @Test func learnedWeightsFavourThePathVisitorsFollow() throws {
        let (graph, visitors) = MakerWorld.build()
        let index = MetaPathIndex(graph: graph, metaPaths: [.sameMaker, .sameSubject, .sameDecade])
        let (model, report) = try MetaPathRecommender.fit(index: index, interactions: visitors)
        #expect(report.pairs > 500)
        #expect(report.lossAfter < report.lossBefore)
        #expect(report.pairwiseAccuracy > 0.9)
        // Per unit of random-walk mass, the maker path must outweigh subject and decade noise.
        let w = report.weights
        #expect(w["item-maker-item"]! > 3 * w["item-subject-item"]!)
        #expect(w["item-maker-item"]! > 3 * w["item-decade-item"]!)
        #expect(model.weights.allSatisfy { $0 >= 0 })
    }

    @Test func fittingIsDeterministicForASeed() throws {
        let (graph, visitors) = MakerWorld.build()
        let index = MetaPathIndex(graph: graph, metaPaths: MetaPath.standard, interactions: visitors.mapValues { $0.map(\.item) })
        let a = try MetaPathRecommender.fit(index: index, interactions: visitors, options: .init(seed: 3))
        let b = try MetaPathRecommender.fit(index: index, interactions: visitors, options: .init(seed: 3))
        #expect(a.0.weights == b.0.weights)
        let c = try MetaPathRecommender.fit(index: index, interactions: visitors, options: .init(seed: 4))
        #expect(c.0.weights != a.0.weights)
    }

    @Test func coVisitationIsExplainedAndFaithful() throws {
        let (graph, visitors) = MakerWorld.build()
        let index = MetaPathIndex(graph: graph, metaPaths: [.coVisitation], interactions: visitors.mapValues { $0.map(\.item) })
        let model = MetaPathRecommender(index: index)
        let history = Array(visitors["v0"]!.prefix(3))
        let top = model.recommend(history: history, count: 5)
        try #require(!top.isEmpty)
        let e = model.explain(top[0].item, history: history)
        #expect(e.because.first?.kind == .coVisitation)
        #expect(e.sentence.hasSuffix("enjoyed by visitors who also liked it"))
        let report = Fidelity.measure(model, cases: [FidelityCase(history: history, recommended: top.map(\.item))])
        #expect(report.fidelity == 1)
    }

    @Test func fitRefusesInteractionsWithoutUsableHistories() {
        let (graph, _) = MakerWorld.build()
        let index = MetaPathIndex(graph: graph, metaPaths: [.sameMaker])
        #expect(throws: GraphError.self) {
            try MetaPathRecommender.fit(index: index, interactions: ["v": [WeightedItem("unknown"), WeightedItem("m0-0")]])
        }
    }
}

@Suite struct ExplainerTests {
    @Test func contributionsWithTheSameClaimAreSummedAndOrdered() {
        let turner = EvidenceNode(reference: "agent:t", label: "Turner")
        let parts = [
            Evidence(kind: .sharedMaker, likedItem: "a", via: turner, weight: 0.25),
            Evidence(kind: .samePeriod, likedItem: "a", via: EvidenceNode(reference: "decade:1840", label: "1840s"), weight: 0.3),
            Evidence(kind: .sharedMaker, likedItem: "a", via: turner, weight: 0.25),
            Evidence(kind: .curatorBoost, weight: 0.1),
            Evidence(kind: .visualSimilarity, likedItem: "b", details: ["#1f3a5c"], weight: -0.2),
        ]
        let agg = Explainer.aggregate(parts)
        #expect(agg.map(\.kind) == [.sharedMaker, .samePeriod, .curatorBoost])
        #expect(agg[0].weight == 0.5)
    }

    @Test func evidenceFromOtherRecommendersIsRenderedWithItsDetails() {
        let explainer = Explainer()
        let e = explainer.explain([
            Evidence(kind: .visualSimilarity, likedItem: "b", details: ["deep blue", "ochre"], weight: 0.6),
            Evidence(kind: .textSimilarity, likedItem: "b", details: ["storm", "sea"], weight: 0.4),
        ], titles: { $0 == "b" ? "The Shipwreck" : nil })
        #expect(e.sentence == "Because you liked *The Shipwreck*: similar in look (deep blue, ochre), described in similar terms (storm, sea)")
        #expect(e.because[0].likedTitle == "The Shipwreck")
        let boost = explainer.explain([Evidence(kind: .curatorBoost, weight: 1)])
        #expect(boost.sentence == "Recommended: highlighted by the curators")
        #expect(explainer.explain([]).because.isEmpty)
    }

    @Test func newLanguagesAreAddedAsData() {
        var templates = ExplanationTemplates.standard
        templates.languages["de"] = ExplanationTemplates.Language(
            frame: "Weil Ihnen *{liked}* gefallen hat: {evidence}", frameWithoutItem: "Empfohlen: {evidence}",
            joiner: ", ", detailJoiner: ", ", phrases: [.sharedMaker: "ebenfalls von {via}"])
        let e = Explainer(templates: templates).explain(
            [Evidence(kind: .sharedMaker, likedItem: "a", likedTitle: "Snow Storm", via: EvidenceNode(reference: "agent:t", label: "Turner"), weight: 1),
             Evidence(kind: .coVisitation, likedItem: "a", weight: 0.5)], language: "de")
        // Missing German phrases fall back to English.
        #expect(e.sentence == "Weil Ihnen *Snow Storm* gefallen hat: ebenfalls von Turner, enjoyed by visitors who also liked it")
    }
}
