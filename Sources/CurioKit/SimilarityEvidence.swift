import CurioCore
import CurioGraph
import CurioImaging
import Foundation

/// Evidence for neighbours found by text or image vectors: what the two objects' descriptions or pictures have in
/// common, in words a visitor can check.
extension Curio {
    /// How much of a vector neighbour's explanation the vector evidence carries; catalogue links share the rest.
    static let vectorEvidenceWeight = 0.7

    /// "Similar in look": the palette colours the two images share (colour names within ΔE₀₀ 15 of each other,
    /// largest share first, at most three). Without stored descriptors the evidence carries no palette detail.
    func visualSimilarityEvidence(_ item: ItemID, _ other: ItemID) -> Evidence? {
        var details: [String] = []
        if let a = (try? visualDescriptors(of: item))??.descriptors.palette,
           let b = (try? visualDescriptors(of: other))??.descriptors.palette {
            var names: [String] = []
            for colour in b where colour.share >= 0.05 {
                if a.contains(where: { colour.lab.difference2000(to: $0.lab) < 15 }), !names.contains(colour.name) {
                    names.append(colour.name)
                }
            }
            if !names.isEmpty { details = ["palette of " + Self.list(Array(names.prefix(3)))] }
        }
        return Evidence(kind: .visualSimilarity, details: details, weight: Self.vectorEvidenceWeight)
    }

    /// "Described in similar terms": the words of the catalogue texts (titles, makers, subjects, movements, medium)
    /// that the two records share, most specific first, at most four.
    func textSimilarityEvidence(_ item: ItemID, _ other: ItemID) -> Evidence? {
        guard let items = try? store.items(ids: [item, other]), let a = items[item], let b = items[other] else {
            return Evidence(kind: .textSimilarity, weight: Self.vectorEvidenceWeight)
        }
        let mine = Set(terms(of: a))
        var shared: [String] = []
        for term in terms(of: b) where mine.contains(term) && !shared.contains(term) { shared.append(term) }
        return Evidence(kind: .textSimilarity, details: shared.isEmpty ? [] : [Self.list(Array(shared.prefix(4)))],
                        weight: Self.vectorEvidenceWeight)
    }

    /// Subject and movement labels first (whole), then title and medium words of four letters or more.
    private func terms(of item: Item) -> [String] {
        var out = (item.subjects + item.movements).compactMap { label(of: $0)?.lowercased() }
        let words = ([item.title] + [item.medium].compactMap { $0 }).joined(separator: " ")
            .lowercased()
            .split(whereSeparator: { !$0.isLetter && $0 != "'" })
            .map(String.init)
            .filter { $0.count >= 4 && !Self.stopWords.contains($0) }
        out.append(contentsOf: words)
        return out
    }

    private static let stopWords: Set<String> = [
        "with", "from", "that", "this", "their", "there", "after", "before", "into", "onto", "upon", "about", "other",
        "untitled", "title", "known", "paper", "print", "study", "work", "works", "over", "under", "between",
    ]

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ words: [String]) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
    }
}
