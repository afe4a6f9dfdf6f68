import CurioCore
import CurioGraph
import CurioPolicy
import CurioRecommend
import Foundation

/// Turns a model's attribution (which of the visitor's objects drove the score) into typed evidence and a sentence.
///
/// The *which* comes from the model (``ScoreAttribution``, or the graph model's exact decomposition); the *how*
/// — shared maker, subject, period… — comes from the knowledge graph: the evidence attributed to a visitor's object
/// is split over the meta-path links between that object and the recommendation, in proportion to their walk mass.
/// When the graph has no link between them, the evidence keeps the model's own kind (`co_visitation` for
/// collaborative models, `text_similarity` for the content model). Weights are shares of the explained score.
struct ExplanationComposer: Sendable {
    let titles: @Sendable (ItemID) -> String?
    /// Catalogue meta-paths with equal weights, for typing evidence of models that are not the graph model.
    let typing: MetaPathRecommender
    let explainer = Explainer()

    /// The graph's links between each item and the visitor's objects (every object weighted 1), for all items at once.
    func typed(_ items: [ItemID], history: [ItemID]) -> [[Evidence]] {
        guard !items.isEmpty, !history.isEmpty else { return items.map { _ in [] } }
        return typing.contributions(items, history: Array(Set(history)).sorted().map { WeightedItem($0, weight: 1) })
    }

    /// How strongly each of the visitor's objects is linked to the items: per item, each object's share of the item's
    /// walk mass, summed over the items. Used to choose which objects to leave out first.
    static func priority(_ typed: [[Evidence]]) -> [ItemID: Double] {
        var out: [ItemID: Double] = [:]
        for parts in typed {
            var mass: [ItemID: Double] = [:]
            for e in parts { if let l = e.likedItem { mass[l, default: 0] += e.weight } }
            let total = mass.values.reduce(0, +)
            guard total > 0 else { continue }
            for (l, m) in mass { out[l, default: 0] += m / total }
        }
        return out
    }

    /// Evidence for one item from the model's attributions by visitor's object (ids and drops, any scale), typed by
    /// the item's graph links (`typed`, from ``typed(_:history:)``).
    func evidence(typed: [Evidence], attributions: [(item: ItemID, drop: Double)], fallback: EvidenceKind) -> [Evidence] {
        let total = attributions.reduce(0) { $0 + max(0, $1.drop) }
        guard total > 0 else { return [] }
        var byLiked: [ItemID: [Evidence]] = [:]
        for e in typed { if let l = e.likedItem { byLiked[l, default: []].append(e) } }
        var out: [Evidence] = []
        for a in attributions where a.drop > 0 {
            let share = a.drop / total
            let parts = Explainer.aggregate(byLiked[a.item] ?? [])
            let mass = parts.reduce(0) { $0 + $1.weight }
            if mass > 0 {
                for var p in parts {
                    p.weight = share * p.weight / mass
                    out.append(p)
                }
            } else {
                out.append(Evidence(kind: fallback, likedItem: a.item, likedTitle: titles(a.item), weight: share))
            }
        }
        return out
    }

    /// Exact contributions (the graph model's) rescaled to shares of their sum.
    func normalised(_ contributions: [Evidence]) -> [Evidence] {
        let parts = Explainer.aggregate(contributions)
        let total = parts.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return [] }
        return parts.map { var e = $0; e.weight /= total; return e }
    }

    /// The `because` list and sentence, with the policy's adjustments folded in.
    func explain(_ evidence: [Evidence], adjustments: [Adjustment], popular: Bool) -> (because: [BecauseEvidence], sentence: String) {
        let explanation = explainer.explain(evidence, language: "en", titles: titles)
        var because = explanation.because.map(BecauseEvidence.init)
        var sentence = explanation.sentence
        if !evidence.isEmpty, evidence.allSatisfy({ $0.kind == .popularity }) { sentence = "Popular with visitors to the collection" }
        let curated = adjustments.filter { [.pinned, .boosted, .campaign].contains($0.kind) }
        for a in curated {
            because.append(BecauseEvidence(type: EvidenceKind.curatorBoost.rawValue, details: [a.detail], weight: 0))
        }
        var notes: [String] = []
        if let pick = curated.first {
            notes.append(pick.kind == .boosted ? "highlighted by the curators" : "curator's pick (\(pick.detail))")
        }
        if adjustments.contains(where: { $0.kind == .fairness }) {
            notes.append("included to balance exposure across the collection")
        }
        for note in notes {
            sentence = sentence.isEmpty ? note.prefix(1).uppercased() + note.dropFirst() : sentence + "; " + note
        }
        if sentence.isEmpty {
            sentence = popular ? "Popular with visitors to the collection" : "Recommended for you"
        }
        return (because, sentence)
    }
}
