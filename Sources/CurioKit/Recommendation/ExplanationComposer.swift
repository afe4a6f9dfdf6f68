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

    /// The graph's links between each item and the visitor's objects (every object weighted 1), for all items at once,
    /// as graph nodes (``evidence(typed:attributions:fallback:)`` writes out only those it cites).
    func typed(_ items: [ItemID], history: [ItemID]) -> [[MetaPathLink]] {
        guard !items.isEmpty, !history.isEmpty else { return items.map { _ in [] } }
        return typing.links(items, history: Array(Set(history)).sorted().map { WeightedItem($0, weight: 1) })
    }

    /// How strongly each of the visitor's objects is linked to the items: per item, each object's share of the item's
    /// walk mass, summed over the items. Used to choose which objects to leave out first.
    func priority(_ typed: [[MetaPathLink]]) -> [ItemID: Double] {
        var byNode: [Int32: Double] = [:]
        var mass: [Int32: Double] = [:]
        for links in typed {
            mass.removeAll(keepingCapacity: true)
            for l in links { mass[l.liked, default: 0] += l.weight }
            let total = mass.values.reduce(0, +)
            guard total > 0 else { continue }
            for (l, m) in mass { byNode[l, default: 0] += m / total }
        }
        var out: [ItemID: Double] = [:]
        for (node, p) in byNode {
            if let id = typing.likedItem(MetaPathLink(kind: .sharedMaker, liked: node, via: -1, weight: 0)) { out[id, default: 0] += p }
        }
        return out
    }

    /// The links of one visitor's object in ``CurioGraph/Explainer/aggregate(_:)`` order: heaviest first, then by kind,
    /// then by the shared node's reference (ties only).
    func ordered(_ links: [MetaPathLink]) -> [MetaPathLink] {
        links.filter { $0.weight > 0 }.sorted { a, b in
            if a.weight != b.weight { return a.weight > b.weight }
            if a.kind != b.kind { return a.kind < b.kind }
            if a.liked != b.liked {
                return (typing.likedItem(a)?.rawValue ?? "") < (typing.likedItem(b)?.rawValue ?? "")
            }
            return (typing.viaReference(a) ?? "") < (typing.viaReference(b) ?? "")
        }
    }

    /// Evidence for one item from the model's attributions by visitor's object (ids and drops, any scale), typed by
    /// the item's graph links (`typed`, from ``typed(_:history:)``).
    func evidence(typed: [MetaPathLink], attributions: [(item: ItemID, drop: Double)], fallback: EvidenceKind) -> [Evidence] {
        var out: [Evidence] = []
        forEachShare(typed: typed, attributions: attributions, ordered: true) { share in
            out.append(written(share, attributions: attributions, fallback: fallback))
        }
        return out
    }

    /// The part of ``evidence(typed:attributions:fallback:)`` the explainer can cite (what ``cited(_:explainer:)``
    /// keeps of it), choosing on the graph's integer links and writing out only the chosen pieces.
    func citedEvidence(typed: [MetaPathLink], attributions: [(item: ItemID, drop: Double)], fallback: EvidenceKind) -> [Evidence] {
        var shares: [Share] = []
        forEachShare(typed: typed, attributions: attributions, ordered: false) { shares.append($0) }
        guard shares.count > explainer.maxEvidence else {
            return shares.map { written($0, attributions: attributions, fallback: fallback) }
        }
        func kind(_ s: Share) -> EvidenceKind { s.link?.kind ?? fallback }
        // Explainer.precedes on the unwritten pieces: strings are read only to break exact ties.
        shares.sort { a, b in
            if a.weight != b.weight { return a.weight > b.weight }
            if kind(a) != kind(b) { return kind(a) < kind(b) }
            if a.owner != b.owner { return attributions[a.owner].item.rawValue < attributions[b.owner].item.rawValue }
            return (a.link.flatMap(typing.viaReference) ?? "") < (b.link.flatMap(typing.viaReference) ?? "")
        }
        guard let top = shares.first else { return [] }
        var out: [Evidence] = []
        var kinds = Set<EvidenceKind>()
        for (n, e) in shares.enumerated() {
            let phrase = e.owner == top.owner && kinds.count < explainer.maxPhrases
            if phrase { kinds.insert(kind(e)) }
            if n < explainer.maxEvidence || phrase { out.append(written(e, attributions: attributions, fallback: fallback)) }
            if n >= explainer.maxEvidence && kinds.count >= explainer.maxPhrases { break }
        }
        return out
    }

    /// One piece of evidence before it is written out: a graph link (or, when the object has none, the model's own
    /// kind) for the visitor's object `attributions[owner]`, with its share of the explained score.
    private struct Share {
        var owner: Int
        var link: MetaPathLink?
        var weight: Double
    }

    /// Splits each attribution's share of the total drop over the item's links to that object, in proportion to
    /// their walk mass (the object's links in ``ordered(_:)`` order when `ordered`); an object with no link keeps
    /// its whole share as one piece of the model's kind. Pieces with no positive weight are left out.
    private func forEachShare(typed: [MetaPathLink], attributions: [(item: ItemID, drop: Double)], ordered sorting: Bool,
                              _ body: (Share) -> Void) {
        let total = attributions.reduce(0) { $0 + max(0, $1.drop) }
        guard total > 0 else { return }
        for (owner, a) in attributions.enumerated() where a.drop > 0 {
            let share = a.drop / total
            let node = typing.node(of: a.item)
            var mass = 0.0
            if let n = node { for l in typed where l.liked == n && l.weight > 0 { mass += l.weight } }
            guard mass > 0, let n = node else {
                body(Share(owner: owner, link: nil, weight: share))
                continue
            }
            let parts = sorting ? ordered(typed.filter { $0.liked == n }) : typed.filter { $0.liked == n && $0.weight > 0 }
            for p in parts { body(Share(owner: owner, link: p, weight: share * p.weight / mass)) }
        }
    }

    /// A piece of evidence written out with its strings (ids, titles, node references and labels).
    private func written(_ s: Share, attributions: [(item: ItemID, drop: Double)], fallback: EvidenceKind) -> Evidence {
        if let link = s.link { return typing.evidence(link, weight: s.weight) }
        let item = attributions[s.owner].item
        return Evidence(kind: fallback, likedItem: item, likedTitle: titles(item), weight: s.weight)
    }

    /// Graph links rescaled to shares of their sum, as evidence.
    func normalised(_ links: [MetaPathLink]) -> [Evidence] {
        let parts = ordered(links)
        let total = parts.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return [] }
        return parts.map { typing.evidence($0, weight: $0.weight / total) }
    }

    /// Exact contributions (the graph model's) rescaled to shares of their sum.
    func normalised(_ contributions: [Evidence]) -> [Evidence] {
        let parts = Explainer.aggregate(contributions)
        let total = parts.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return [] }
        return parts.map { var e = $0; e.weight /= total; return e }
    }

    /// The part of `evidence` the explainer can cite: its `maxEvidence` heaviest entries and those of the top object
    /// until `maxPhrases` kinds are found, in the explainer's order. For evidence with one entry per key (what the
    /// composer produces) the explanation of this part is the explanation of the whole, without aggregating and
    /// sorting every link.
    static func cited(_ evidence: [Evidence], explainer: Explainer) -> [Evidence] {
        guard evidence.count > explainer.maxEvidence else { return evidence }
        let sorted = Explainer.ranked(evidence)
        guard let top = sorted.first else { return [] }
        var out: [Evidence] = []
        var kinds = Set<EvidenceKind>()
        for (n, e) in sorted.enumerated() {
            let phrase = e.likedItem == top.likedItem && kinds.count < explainer.maxPhrases
            if phrase { kinds.insert(e.kind) }
            if n < explainer.maxEvidence || phrase { out.append(e) }
            if n >= explainer.maxEvidence && kinds.count >= explainer.maxPhrases { break }
        }
        return out
    }

    /// The `because` list and sentence, with the policy's adjustments folded in.
    /// - Parameter distinct: the evidence has one entry per key (what ``evidence(typed:attributions:fallback:)`` and
    ///   ``normalised(_:)`` produce): only the part the explainer can cite is handed to it.
    func explain(_ evidence: [Evidence], adjustments: [Adjustment], popular: Bool,
                 distinct: Bool = false) -> (because: [BecauseEvidence], sentence: String) {
        let explanation = explainer.explain(distinct ? Self.cited(evidence, explainer: explainer) : evidence, language: "en",
                                            titles: titles, distinct: distinct)
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
