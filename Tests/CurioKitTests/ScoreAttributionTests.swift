import CurioCore
import CurioGraph
import CurioMath
import CurioRecommend
import Foundation
import Testing
@testable import CurioKit

/// A linear item–item model over a fixed weight table: score_j = Σ_i weight_i · table[i][j].
private struct LinearModel: Recommender {
    let table: [[Float]]
    var name: String { "linear" }
    var itemIDs: [ItemID] { table.indices.map { ItemID("I\($0)") } }
    var userIDs: [VisitorID] { [] }
    func scores(forUser user: Int) -> [Float] { [Float](repeating: 0, count: table.count) }
    func scores(forHistory history: [HistoryEntry]) -> [Float] {
        var out = [Float](repeating: 0, count: table.count)
        for e in history { for j in out.indices { out[j] += e.weight * table[e.item][j] } }
        return out
    }
    func similarItems(to item: Int, k: Int) -> [ScoredItem] { [] }
    func artefact() throws(RecommendError) -> ModelArtefact { throw .invalidData("not saveable") }
}

/// The same model, saying which object adds what.
private struct AdditiveLinearModel: HistoryAdditive {
    let base: LinearModel
    var name: String { base.name }
    var itemIDs: [ItemID] { base.itemIDs }
    var userIDs: [VisitorID] { [] }
    func scores(forUser user: Int) -> [Float] { base.scores(forUser: user) }
    func scores(forHistory history: [HistoryEntry]) -> [Float] { base.scores(forHistory: history) }
    func similarItems(to item: Int, k: Int) -> [ScoredItem] { [] }
    func artefact() throws(RecommendError) -> ModelArtefact { try base.artefact() }
    func historyTerms(_ history: [HistoryEntry], items: [Int]) -> [[HistoryTerm]] {
        items.map { j in
            history.map { HistoryTerm(object: $0.item, value: $0.weight * base.table[$0.item][j]) }
                .filter { $0.value > 0 }.sorted { $0.value > $1.value }
        }
    }
}

@Suite("Which of the visitor's objects drove a score")
struct ScoreAttributionTests {
    /// Twelve history objects (0 the oldest) and item 12, which only object 0 leads to.
    static let table: [[Float]] = (0..<13).map { i in
        (0..<13).map { j in j == 12 ? (i == 0 ? 1 : 0) : (i == j ? 0 : 0.1) }
    }
    static let history = (0..<12).map { HistoryEntry(item: $0, weight: 1, time: Double($0)) }

    @Test func withoutTermsOnlyTheMostRecentObjectsAreTried() {
        let model = LinearModel(table: Self.table)
        let base = model.scores(forHistory: Self.history)
        let found = ScoreAttribution(limit: 3).attribute(model: model, history: Self.history, base: base, items: [12])
        #expect(found[0].isEmpty, "the oldest object lies beyond the attribution budget")
    }

    @Test func aHistoryAdditiveModelLeadsStraightToTheObjectThatDroveTheScore() throws {
        let model = AdditiveLinearModel(base: LinearModel(table: Self.table))
        let base = model.scores(forHistory: Self.history)
        let found = ScoreAttribution(limit: 3).attribute(model: model, history: Self.history, base: base, items: [12, 5])
        let top = try #require(found[0].first)
        #expect(top.item == 0)
        #expect(abs(top.drop - 1) < 1e-6)
        // Item 5 is reached by every object but itself, equally: any of them is a faithful answer.
        #expect(found[1].first.map { $0.item != 5 && abs($0.drop - 0.1) < 1e-6 } == true)
    }
}

@Suite("Explaining only what can be cited")
struct CitedEvidenceTests {
    @Test func theCitedPartExplainsLikeTheWhole() {
        // Evidence with one entry per key, as the composer writes it: several objects, kinds and shared nodes.
        let kinds: [EvidenceKind] = [.sharedMaker, .sharedSubject, .samePeriod, .sharedMaterial, .coVisitation]
        var state: UInt64 = 5
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        for round in 0..<40 {
            var evidence: [Evidence] = []
            for liked in 0..<(2 + round % 4) {
                for (k, kind) in kinds.enumerated() where next() % 3 != 0 {
                    for via in 0..<Int(1 + next() % 3) {
                        // Equal weights now and then, so the tie-breaks matter.
                        let weight = Double(1 + next() % 6) / 8
                        evidence.append(Evidence(kind: kind, likedItem: ItemID("I\(liked)"), likedTitle: "Title \(liked)",
                                                 via: kind == .coVisitation ? nil : EvidenceNode(reference: "subject:\(k)-\(via)", label: "S\(via)"),
                                                 weight: weight))
                        if kind == .coVisitation { break }
                    }
                }
            }
            let explainer = Explainer()
            let whole = explainer.explain(evidence, language: "en")
            let cited = explainer.explain(ExplanationComposer.cited(evidence, explainer: explainer), language: "en")
            #expect(cited == whole, "round \(round)")
            let ranked = explainer.explain(ExplanationComposer.cited(evidence, explainer: explainer), language: "en", distinct: true)
            #expect(ranked == whole, "round \(round)")
        }
    }

    @Test func evidenceChosenOnGraphLinksIsTheCitedPartOfAllTheEvidence() {
        // A small catalogue where items share makers, subjects, media and decades in overlapping ways.
        let agents = (0..<4).map { Agent(id: AgentID("a\($0)"), name: "Artist \($0)") }
        let items = (0..<24).map { i in
            Item(id: ItemID("I\(i)"), source: "test", title: "Work \(i)",
                 makers: [MakerCredit(agent: agents[i % 4].id, name: agents[i % 4].name)],
                 date: DateRange(text: "\(1800 + i % 3 * 10)", startYear: 1800 + i % 3 * 10, endYear: 1800 + i % 3 * 10),
                 medium: ["Oil paint on canvas", "Watercolour on paper"][i % 2],
                 subjects: [ConceptID("s\(i % 5)"), ConceptID("s\((i + 2) % 7)")])
        }
        let graph = KnowledgeGraph.build(items: items, agents: agents, concepts: [])
        let composer = ExplanationComposer(titles: { "Title of \($0.rawValue)" },
                                           typing: MetaPathRecommender(index: MetaPathIndex(graph: graph, metaPaths: MetaPath.catalogue)))
        var random = SeededRandom(seed: 3)
        for round in 0..<60 {
            let item = items[round % items.count].id
            // Some attributed objects are outside the graph: they keep the model's own kind.
            let objects = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                Int.random(in: 0..<10, using: &random) == 0 ? ItemID("outside-\(round)") : items[Int.random(in: 0..<items.count, using: &random)].id
            }
            let history = Array(Set(objects)).sorted()
            let attributions = history.map { (item: $0, drop: Double(Int.random(in: 0...4, using: &random)) / 4) }
            let typed = composer.typed([item], history: history)[0]
            let all = composer.evidence(typed: typed, attributions: attributions, fallback: .coVisitation)
            let chosen = composer.citedEvidence(typed: typed, attributions: attributions, fallback: .coVisitation)
            #expect(Explainer.ranked(chosen) == Explainer.ranked(ExplanationComposer.cited(all, explainer: composer.explainer)),
                    "round \(round)")
            #expect(composer.explain(chosen, adjustments: [], popular: false, distinct: true)
                    == composer.explain(all, adjustments: [], popular: false), "round \(round)")
        }
    }
}
