import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct StratifiedBPRTrainerTests {
    static func configuration(threads: Int) -> BPRRecommender.Configuration {
        var c = BPRRecommender.Configuration(factors: 20, epochs: 6)
        c.threads = threads
        return c
    }

    @Test func fixtureDataIsSplitIntoSeveralBlocksSoThatWorkersRunInParallel() {
        let m = ModelFixtures.data.interactions
        let trainer = StratifiedBPRTrainer(matrix: m.matrix, factors: 20)
        #expect(trainer.blocks >= 4)
        #expect(trainer.stride == 32)
        // The block count depends on the data size only.
        #expect(StratifiedBPRTrainer.blockCount(users: 10, items: 10_000) == 1)
        #expect(StratifiedBPRTrainer.blockCount(users: 100_000, items: 70_000) == 8)
    }

    @Test func oneTwoAndFourThreadsGiveTheSameModelBitForBit() throws {
        let data = ModelFixtures.data
        let one = try BPRRecommender.train(on: data, configuration: Self.configuration(threads: 1), seed: 5)
        let two = try BPRRecommender.train(on: data, configuration: Self.configuration(threads: 2), seed: 5)
        let twoAgain = try BPRRecommender.train(on: data, configuration: Self.configuration(threads: 2), seed: 5)
        let four = try BPRRecommender.train(on: data, configuration: Self.configuration(threads: 4), seed: 5)
        for other in [two, twoAgain, four] {
            #expect(other.userFactors.storage == one.userFactors.storage)
            #expect(other.itemFactors.storage == one.itemFactors.storage)
            #expect(other.itemBiases == one.itemBiases)
        }
        // Training moved the factors away from their initial values.
        let untrained = try BPRRecommender.train(on: data, configuration: .init(factors: 20, epochs: 0), seed: 5)
        #expect(untrained.itemFactors.storage != one.itemFactors.storage)
        let finite = one.itemFactors.storage.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test func initialFactorsHaveTheConfiguredSpread() throws {
        var c = BPRRecommender.Configuration(factors: 32, epochs: 0)
        c.initialScale = 0.1
        let model = try BPRRecommender.train(on: ModelFixtures.data, configuration: c, seed: 2)
        let values = model.itemFactors.storage + model.userFactors.storage
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        #expect(abs(mean) < 0.005)
        #expect(abs(variance.squareRoot() - 0.1) < 0.005)
        let bound = Float(3).squareRoot() * 0.1
        let inside = values.allSatisfy { abs($0) <= bound }
        #expect(inside)
    }

    @Test func itemsWithoutTrainingPairsAreNeverNegativesAndRankLast() throws {
        // Items 6–9 have no training pair.
        var entries: [Interaction] = []
        for u in 0..<40 { for i in 0..<6 where (u + i) % 3 != 0 { entries.append(Interaction(user: u, item: i, weight: 1, time: 0)) } }
        let m = try InteractionMatrix(userIDs: (0..<40).map { VisitorID("v\($0)") }, itemIDs: (0..<10).map { ItemID("i\($0)") },
                                      interactions: entries)
        let trainer = StratifiedBPRTrainer(matrix: m.matrix, factors: 4)
        #expect(trainer.activeItems == [0, 1, 2, 3, 4, 5])
        #expect(trainer.plan(seed: 1, epoch: 0).itemOrder.sorted() == [0, 1, 2, 3, 4, 5])
        let model = try BPRRecommender.train(on: TrainingData(interactions: m), configuration: .init(factors: 4, epochs: 5), seed: 1)
        for i in 6..<10 { #expect(model.itemFactors.row(i).allSatisfy { $0 == 0 }) }
        for u in [0, 7, 39] {
            let scores = model.scores(forUser: u)
            #expect(scores[6..<10].max()! < scores[0..<6].min()!)
        }
    }

    @Test func everyEpochVisitsEachPairOnceInStrataThatMatchTheBlocks() {
        let m = ModelFixtures.data.interactions.matrix
        let trainer = StratifiedBPRTrainer(matrix: m, factors: 8)
        let b = trainer.blocks
        var expected: [UInt64] = []
        for u in 0..<m.rows { for p in m.range(ofRow: u) { expected.append(UInt64(u) << 32 | UInt64(m.columnIndices[p])) } }
        var previousOrder: [Int32]?
        for epoch in 0..<3 {
            let plan = trainer.plan(seed: 9, epoch: epoch)
            #expect(plan.pairs.sorted() == expected.sorted())
            #expect(plan.itemOrder.sorted() == trainer.activeItems)
            #expect(plan.itemOrder != previousOrder)
            previousOrder = plan.itemOrder
            // Blocks are as equal as possible, and the item order lists each block's items.
            let sizes = (0..<b).map { plan.itemStart[$0 + 1] - plan.itemStart[$0] }
            #expect(sizes.max()! - sizes.min()! <= 1)
            for block in 0..<b {
                for position in plan.itemStart[block]..<plan.itemStart[block + 1] {
                    #expect(plan.itemBlock[Int(plan.itemOrder[position])] == UInt8(block))
                }
            }
            let userSizes = (0..<b).map { block in plan.userBlock.filter { $0 == UInt8(block) }.count }
            #expect(userSizes.max()! - userSizes.min()! <= 1)
            for s in 0..<(b * b) {
                for pair in plan.pairs[plan.stratumStart[s]..<plan.stratumStart[s + 1]] {
                    #expect(Int(plan.userBlock[Int(pair >> 32)]) == s / b)
                    #expect(Int(plan.itemBlock[Int(pair & 0xFFFF_FFFF)]) == s % b)
                }
            }
        }
        // The same seed and epoch give the same plan.
        #expect(trainer.plan(seed: 9, epoch: 1).pairs == trainer.plan(seed: 9, epoch: 1).pairs)
    }

    @Test func negativesComeFromThePairsItemBlockAndAreNeverTheVisitorsItems() throws {
        // Dense visitors: visitor u engaged with every item i where u + i is even, so half of every block are positives
        // and rejections are frequent; visitor 0 engaged with every item, so it never gets a negative.
        let users = 64, items = 96
        var entries: [SparseMatrix.Entry] = []
        for u in 0..<users { for i in 0..<items where u == 0 || (u + i) % 2 == 0 { entries.append(.init(row: u, column: i, value: 1)) } }
        let m = try SparseMatrix(rows: users, columns: items, entries: entries)
        let trainer = StratifiedBPRTrainer(matrix: m, factors: 4)
        #expect(trainer.blocks == 2)
        let filter = trainer.positiveFilter
        for u in 0..<users { for p in m.range(ofRow: u) { #expect(filter.mayContain(user: u, item: m.columnIndices[p])) } }
        let plan = trainer.plan(seed: 3, epoch: 0)
        var negatives = [Int32](repeating: -2, count: plan.pairs.count)
        var drawn = 0, skipped = 0
        let itemOrder = plan.itemOrder
        for ub in 0..<trainer.blocks {
            for ib in 0..<trainer.blocks {
                let s = ub * trainer.blocks + ib
                let range = plan.stratumStart[s]..<plan.stratumStart[s + 1]
                var random = trainer.stratumStream(seed: 3, epoch: 0, userBlock: ub, itemBlock: ib)
                m.rowPointers.withUnsafeBufferPointer { rp in
                    m.columnIndices.withUnsafeBufferPointer { cols in
                        itemOrder.withUnsafeBufferPointer { order in
                            filter.words.withUnsafeBufferPointer { words in
                                plan.pairs.withUnsafeBufferPointer { pairs in
                                    negatives.withUnsafeMutableBufferPointer { out in
                                        let sampler = BPRNegativeSampler(rowPointers: rp.baseAddress!, columns: cols.baseAddress!,
                                                                         itemOrder: order.baseAddress!, filterWords: words.baseAddress!,
                                                                         filterBits: filter.bits)
                                        sampler.sample(pairs: UnsafeBufferPointer(rebasing: pairs[range]), into: out.baseAddress! + range.lowerBound,
                                                       block: plan.itemStart[ib]..<plan.itemStart[ib + 1], random: &random)
                                    }
                                }
                            }
                        }
                    }
                }
                for x in range {
                    let u = Int(plan.pairs[x] >> 32), i = Int(plan.pairs[x] & 0xFFFF_FFFF), j = negatives[x]
                    #expect(j >= -1)
                    if j == -1 {
                        skipped += 1
                        #expect(u == 0)
                        continue
                    }
                    drawn += 1
                    #expect(plan.itemBlock[Int(j)] == plan.itemBlock[i])
                    #expect(u != 0)
                    #expect((u + Int(j)) % 2 == 1)
                }
            }
        }
        #expect(skipped == items)
        #expect(drawn == plan.pairs.count - items)
    }
}
