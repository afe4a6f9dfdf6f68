import CurioCore
import Foundation
@testable import CurioRecommend

/// Shared, lazily built data for model tests (built once per test process).
enum ModelFixtures {
    static let collection = SyntheticCollection()
    static let data: TrainingData = {
        // Synthetic data cannot fail to build; a failure here would make every dependent test fail loudly.
        (try? collection.trainingData(visitors: 700)) ?? TrainingData(interactions: emptyMatrix())
    }()
    static let split: EvaluationSplit? = try? EvaluationSplit(data.interactions, strategy: .userTemporal(testFraction: 0.3))

    /// Every model trained once on ``data`` with seed 3.
    static let trained: [String: any Recommender] = {
        var out: [String: any Recommender] = [:]
        for name in ModelRegistry.names { out[name] = try? train(name, on: data) }
        return out
    }()

    /// Small-data hyper-parameters that keep debug-build tests quick.
    static func parameters(for model: String) -> [String: ParameterValue] {
        switch model {
        case "als": ["factors": .number(16), "iterations": .number(8)]
        case "bpr": ["factors": .number(16), "epochs": .number(40)]
        case "itemknn": ["neighbours": .number(50)]
        case "ease": ["lambda": .number(50)]
        case "hybrid": ["collaborative_neighbours": .number(50)]
        default: [:]
        }
    }

    static func train(_ model: String, on data: TrainingData, seed: UInt64 = 3) throws -> any Recommender {
        try ModelRegistry.train(model, on: data, parameters: parameters(for: model), seed: seed)
    }

    static func emptyMatrix() -> InteractionMatrix {
        (try? InteractionMatrix(userIDs: [], itemIDs: [], interactions: [])) ?? { fatalError("unreachable") }()
    }
}
