import CurioCore
import Foundation

/// Writes the link between two consecutive tour stops. The knowledge-graph module can supply a richer one
/// (paths such as "Turner influenced …"); ``MetadataTransitionNarrator`` works from catalogue facts alone.
public protocol TransitionNarrator: Sendable {
    /// The transition from `previous` to `next`; `similarity` is the planner's coherence score for the pair.
    func transition(from previous: ItemID, to next: ItemID, similarity: Double) -> Transition
}

/// A narrator from a closure, e.g. one that asks the knowledge graph for a path between the two items and falls
/// back to a ``MetadataTransitionNarrator``.
public struct ClosureTransitionNarrator: TransitionNarrator {
    public let body: @Sendable (ItemID, ItemID, Double) -> Transition
    public init(_ body: @escaping @Sendable (ItemID, ItemID, Double) -> Transition) { self.body = body }
    public func transition(from previous: ItemID, to next: ItemID, similarity: Double) -> Transition {
        body(previous, next, similarity)
    }
}

/// Narrates transitions from shared makers, movements, subjects and dates, preferring the rarest shared subject
/// (so "storm" wins over "man").
///
/// Sentences look like "From Constable's cloud to Turner's storm: two views of weather." or
/// "Forty-one years on, from Hogarth (1738) to Reynolds (1779)."
public struct MetadataTransitionNarrator: TransitionNarrator {
    public let catalog: VisitCatalog
    /// How many catalogue items carry each subject (rarer subjects make better stories).
    private let subjectCounts: [ConceptID: Int]
    private let itemCount: Int

    public init(catalog: VisitCatalog) {
        self.catalog = catalog
        var counts: [ConceptID: Int] = [:]
        for item in catalog.items.values {
            var seen: Set<ConceptID> = []
            for s in item.subjects {
                for c in catalog.lineage(s) where seen.insert(c.id).inserted { counts[c.id, default: 0] += 1 }
                if catalog.concepts[s] == nil, seen.insert(s).inserted { counts[s, default: 0] += 1 }
            }
        }
        subjectCounts = counts
        itemCount = catalog.items.count
    }

    public func transition(from previous: ItemID, to next: ItemID, similarity: Double) -> Transition {
        let a = catalog.item(previous), b = catalog.item(next)
        let nameA = a.flatMap { catalog.shortMakerName($0) } ?? a.map { "‘\(Self.shortTitle($0.title))’" } ?? previous.rawValue
        let nameB = b.flatMap { catalog.shortMakerName($0) } ?? b.map { "‘\(Self.shortTitle($0.title))’" } ?? next.rawValue
        var evidence: [TransitionEvidence] = []
        var sentence: String?
        guard let a, let b else {
            return Transition(evidence: [.similarity(score: similarity)],
                              sentence: "From \(nameA) to \(nameB).")
        }
        let yearA = a.date?.midYear, yearB = b.date?.midYear

        if let shared = a.makers.first(where: { m in b.makers.contains { $0.agent == m.agent } }) {
            evidence.append(.sameMaker(name: shared.name))
            sentence = "More \(VisitCatalog.shortName(shared.name)): from ‘\(Self.shortTitle(a.title))’ to ‘\(Self.shortTitle(b.title))’\(Self.yearsPhrase(yearA, yearB))."
        }
        if let m = a.movements.first(where: { b.movements.contains($0) }) {
            let label = catalog.label(m) ?? m.rawValue
            evidence.append(.sharedMovement(label: label))
            if sentence == nil { sentence = "From \(nameA) to \(nameB), both \(label)." }
        }
        if let (broader, x, y, exact) = subjectLink(a, b) {
            if exact {
                evidence.append(.sharedSubject(label: x))
                if sentence == nil { sentence = "\(nameA) and \(nameB) both turn to \(x)." }
            } else {
                evidence.append(.relatedSubjects(broader: broader, from: x, to: y))
                if sentence == nil { sentence = "From \(nameA)’s \(x) to \(nameB)’s \(y): two views of \(broader)." }
            }
        }
        if let yearA, let yearB {
            if yearA / 10 == yearB / 10 {
                let decade = "\(yearA / 10 * 10)s"
                evidence.append(.samePeriod(label: decade))
                if sentence == nil { sentence = "Two works of the \(decade): \(nameA) and \(nameB)." }
            } else {
                evidence.append(.chronologicalStep(fromYear: yearA, toYear: yearB))
                if sentence == nil {
                    let gap = abs(yearB - yearA)
                    sentence = yearB > yearA
                        ? "\(gap) years on, from \(nameA) (\(yearA)) to \(nameB) (\(yearB))."
                        : "Back \(gap) years, from \(nameA) (\(yearA)) to \(nameB) (\(yearB))."
                }
            }
        }
        if similarity > 0.5 { evidence.append(.similarity(score: similarity)) }
        if evidence.isEmpty { evidence.append(.contrast) }
        return Transition(evidence: evidence, sentence: sentence ?? "A change of scene: from \(nameA) to \(nameB).")
    }

    /// The best subject link: a rare shared subject (exact), else two different subjects under a shared broader
    /// subject that is not too generic. Returns (broader, subject of a, subject of b, exact).
    private func subjectLink(_ a: Item, _ b: Item) -> (String, String, String, Bool)? {
        let limit = max(3, itemCount / 5)
        func count(_ c: ConceptID) -> Int { subjectCounts[c] ?? 0 }
        let shared = Set(a.subjects).intersection(b.subjects)
        if let best = shared.filter({ count($0) <= limit }).min(by: { (count($0), $0) < (count($1), $1) }),
           let label = catalog.label(best) {
            return (label, label, label, true)
        }
        // Related: map each leaf to its broader concepts.
        var broaderOfA: [ConceptID: ConceptID] = [:]
        for s in a.subjects { for c in catalog.lineage(s).dropFirst() where broaderOfA[c.id] == nil { broaderOfA[c.id] = s } }
        var best: (ConceptID, ConceptID, ConceptID)?
        for s in b.subjects {
            for c in catalog.lineage(s).dropFirst() {
                guard let leafA = broaderOfA[c.id], leafA != s, c.level > 0 else { continue }
                if best == nil || count(c.id) < count(best!.0) { best = (c.id, leafA, s) }
            }
        }
        if let (broader, x, y) = best, let lb = catalog.label(broader), let lx = catalog.label(x), let ly = catalog.label(y) {
            return (lb, lx, ly, false)
        }
        return nil
    }

    private static func yearsPhrase(_ a: Int?, _ b: Int?) -> String {
        guard let a, let b, a != b else { return "" }
        return " (\(a) to \(b))"
    }

    /// A title cut to about 40 characters at a word boundary.
    static func shortTitle(_ title: String) -> String {
        guard title.count > 42 else { return title }
        let cut = title.prefix(40)
        if let space = cut.lastIndex(of: " ") { return String(cut[..<space]) + "…" }
        return String(cut) + "…"
    }
}
