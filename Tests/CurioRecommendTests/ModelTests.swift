import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct ModelTests {
    static let personalised = ["itemknn", "ease", "als", "bpr", "content", "hybrid"]

    @Test(arguments: personalised)
    func eachModelLearnsAndBeatsPopularity(model: String) throws {
        let split = try #require(ModelFixtures.split)
        let content = ModelFixtures.data.content
        let train = TrainingData(interactions: split.train, content: content)
        let evaluator = Evaluator(cutoffs: [10])
        let popular = evaluator.evaluate(try ModelFixtures.train("popularity", on: train), on: split)
        let learned = evaluator.evaluate(try ModelFixtures.train(model, on: train), on: split)
        let p = try #require(popular.result.metrics["ndcg@10"])
        let m = try #require(learned.result.metrics["ndcg@10"])
        print("\(model): ndcg@10 \(m) vs popularity \(p)")
        #expect(m > p * 1.2)
    }
}
