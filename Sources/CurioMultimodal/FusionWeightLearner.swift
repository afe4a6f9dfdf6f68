import CurioCore
import CurioMath
import Foundation

/// One next-item retrieval case from interaction data: a visitor looked at `query`, then at `target`.
public struct NextItemCase: Sendable, Hashable {
    public var query: ItemID
    public var target: ItemID
    public init(query: ItemID, target: ItemID) {
        self.query = query
        self.target = target
    }
}

/// The outcome of learning fusion weights.
public struct FusionWeightChoice: Codable, Sendable, Hashable {
    /// One evaluated point of the grid.
    public struct Point: Codable, Sendable, Hashable {
        public var weights: FusionWeights
        public var ndcg: Double
    }
    /// The chosen weights (the default when there were no usable cases).
    public var weights: FusionWeights
    /// `learned` (chosen on interaction data) or `default`.
    public var source: String
    /// Cases evaluated (next-item pairs whose items both have vectors).
    public var cases: Int
    /// NDCG@10 of next-item retrieval with the chosen and with the default weights.
    public var ndcg: Double
    public var defaultNDCG: Double
    public var grid: [Point]

    enum CodingKeys: String, CodingKey {
        case weights, source, cases, grid
        case ndcg = "ndcg@10", defaultNDCG = "default_ndcg@10"
    }
}

/// Chooses fusion weights on interaction data: the point of a grid over the weight simplex that maximises NDCG@10
/// of next-item retrieval (rank the target among all items by fused cosine to the query item, query excluded).
///
/// Modalities that no item has are held at weight 0 (the grid covers only the present ones). Ties keep the
/// earlier grid point, so the result is deterministic; at least `minimumCases` cases are required, otherwise
/// ``FusionWeights/default`` is returned with source `default`.
public enum FusionWeightLearner {
    /// Grid step on the simplex (0.1: 66 points for three modalities).
    public static let defaultStep = 0.1
    /// Fewest cases for a learned choice.
    public static let minimumCases = 20

    public static func choose(text: ModalityVectors?, image: ModalityVectors?, graph: ModalityVectors?, cases: [NextItemCase],
                              step: Double = defaultStep, k: Int = 10) throws -> FusionWeightChoice {
        let present = [Modality.text, .image, .graph].filter {
            switch $0 {
            case .text: (text?.count ?? 0) > 0
            case .image: (image?.count ?? 0) > 0
            case .graph: (graph?.count ?? 0) > 0
            }
        }
        let reference = try FusedItemVectors(text: text, image: image, graph: graph, weights: FusionWeights(text: 1, image: 1, graph: 1))
        let usable = cases.filter { reference.index[$0.query] != nil && reference.index[$0.target] != nil && $0.query != $0.target }
        let defaultScore = usable.isEmpty ? 0 : try ndcg(text: text, image: image, graph: graph, weights: .default, cases: usable, k: k)
        guard usable.count >= minimumCases, !present.isEmpty else {
            return FusionWeightChoice(weights: .default, source: "default", cases: usable.count, ndcg: defaultScore,
                                      defaultNDCG: defaultScore, grid: [])
        }
        let divisions = max(1, Int((1 / step).rounded()))
        var grid: [FusionWeightChoice.Point] = []
        var best: FusionWeightChoice.Point?
        for a in 0...divisions {
            for b in 0...(divisions - a) {
                let c = divisions - a - b
                var parts = [Double](repeating: 0, count: 3)
                let shares = [Double(a), Double(b), Double(c)].map { $0 / Double(divisions) }
                // Spread the grid over the present modalities only.
                if present.count < 3 && shares[present.count...].contains(where: { $0 > 0 }) { continue }
                for (slot, m) in present.enumerated() {
                    parts[Modality.allCases.firstIndex(of: m)!] = shares[slot]
                }
                let w = FusionWeights(text: parts[0], image: parts[1], graph: parts[2])
                let score = try ndcg(text: text, image: image, graph: graph, weights: w, cases: usable, k: k)
                let point = FusionWeightChoice.Point(weights: w, ndcg: score)
                grid.append(point)
                if best == nil || score > best!.ndcg + 1e-12 { best = point }
            }
        }
        let chosen = best!
        return FusionWeightChoice(weights: chosen.weights, source: "learned", cases: usable.count, ndcg: chosen.ndcg,
                                  defaultNDCG: defaultScore, grid: grid)
    }

    /// Mean NDCG@k (one relevant item) of next-item retrieval with `weights`.
    public static func ndcg(text: ModalityVectors?, image: ModalityVectors?, graph: ModalityVectors?, weights: FusionWeights,
                            cases: [NextItemCase], k: Int = 10) throws -> Double {
        let fused = try FusedItemVectors(text: text, image: image, graph: graph, weights: weights)
        let valid = cases.filter { fused.index[$0.query] != nil }
        guard !valid.isEmpty else { return 0 }
        let queries = Matrix(rows: valid.count, columns: fused.vectors.columns,
                             storage: valid.flatMap { fused.vectors.row(fused.index[$0.query]!) })
        let index = ExactVectorIndex(vectors: fused.vectors)
        var total = 0.0
        for (q, result) in index.search(queries, k: k + 1, isExcluded: { _ in false }).enumerated() {
            let queryRow = fused.index[valid[q].query]!
            let ranked = result.filter { $0.index != queryRow }.prefix(k)
            if let targetRow = fused.index[valid[q].target], let position = ranked.firstIndex(where: { $0.index == targetRow }) {
                total += 1 / log2(Double(position + 2))
            }
        }
        return total / Double(cases.count)
    }
}
