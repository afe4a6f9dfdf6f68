import CurioCore
import CurioGraph
import CurioImaging
import Foundation

/// Evidence for neighbours found by text or image vectors: what the two objects' descriptions or pictures have in
/// common, in words a visitor can check.
extension Curio {
    /// How much of a vector neighbour's explanation the vector evidence carries; catalogue links share the rest.
    static let vectorEvidenceWeight = 0.7

    /// "Similar in look", for neighbours of `item`: the palette colours the two images share (colour names within
    /// ΔE₀₀ 15 of each other, largest share first, at most three). Without stored descriptors the evidence carries no
    /// palette detail. `item`'s palette is read once, not once per neighbour.
    func visualSimilarityEvidence(for item: ItemID) -> (ItemID, Float) -> Evidence? {
        let mine = (try? visualDescriptors(of: item))??.descriptors.palette
        return { [self] other, _ in
            var details: [String] = []
            if let a = mine, let b = (try? visualDescriptors(of: other))??.descriptors.palette {
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
    }

    /// "Described in similar terms", for neighbours of `item`: the words of the catalogue texts (titles, makers,
    /// subjects, movements, medium) that the two records share, most specific first, at most four. `item`'s terms
    /// are read once, not once per neighbour.
    func textSimilarityEvidence(for item: ItemID) -> (ItemID, Float) -> Evidence? {
        let mine = ((try? store.item(item)) ?? nil).map { Set(terms(of: $0)) }
        return { [self] other, _ in
            guard let mine, let b = (try? store.item(other)) ?? nil else {
                return Evidence(kind: .textSimilarity, weight: Self.vectorEvidenceWeight)
            }
            var shared: [String] = []
            for term in terms(of: b) where mine.contains(term) && !shared.contains(term) { shared.append(term) }
            return Evidence(kind: .textSimilarity, details: shared.isEmpty ? [] : [Self.list(Array(shared.prefix(4)))],
                            weight: Self.vectorEvidenceWeight)
        }
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
