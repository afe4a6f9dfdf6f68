import CurioCore
import Foundation
import Testing
@testable import CurioPolicy

/// The engine works on interned value ids and arrays; the string-keyed reference (``ReferencePolicyEngine``, the
/// engine as it was) must give exactly the same lists, scores, adjustments and ledger for every kind of policy.
@Suite("Interned re-ranking matches the string-keyed reference")
struct InternedEngineEquivalenceTests {
    /// A random collection: items with zero to three makers (some of unknown gender or unknown to the agents),
    /// missing dates, a custom attribute on some items, vectors on most, popularity with ties.
    static func randomCatalogue(_ rng: inout SeededGenerator) -> (PolicyCatalogue, [Item]) {
        let makerCount = Int.random(in: 3...25, using: &rng)
        var agents: [AgentID: Agent] = [:]
        for m in 0..<makerCount where m % 7 != 6 {
            let id = AgentID("agent:\(m)")
            let gender = ["Female", "Male", "Male", "Non-binary", nil].randomElement(using: &rng)!
            agents[id] = Agent(id: id, name: "Maker \(m)", gender: gender)
        }
        let count = Int.random(in: 30...160, using: &rng)
        var items: [Item] = []
        var popularity: [ItemID: Double] = [:]
        var vectors: [ItemID: [Float]] = [:]
        var department: [ItemID: String] = [:]
        let dimension = 6
        for i in 0..<count {
            let id = ItemID("I\(i)")
            let makers = (0..<[0, 1, 1, 1, 2, 3].randomElement(using: &rng)!).map { _ -> MakerCredit in
                let m = Int.random(in: 0..<makerCount, using: &rng)
                return MakerCredit(agent: AgentID("agent:\(m)"), name: "Maker \(m)")
            }
            let year = Int.random(in: 1400...2000, using: &rng)
            let rights = ["CC0", "All rights reserved", nil, "Public Domain"].randomElement(using: &rng)!
            items.append(Item(id: id, source: "test", title: "Item \(i)", makers: makers,
                              date: Bool.random(using: &rng) || i % 5 != 0 ? DateRange(text: "\(year)", startYear: year, endYear: year) : nil,
                              rights: rights))
            popularity[id] = Double(Int.random(in: 0...20, using: &rng))
            if i % 9 != 0 { vectors[id] = (0..<dimension).map { _ in Float.random(in: -1...1, using: &rng) } }
            if i % 3 != 0 { department[id] = ["prints", "paintings", "sculpture"].randomElement(using: &rng)! }
        }
        return (PolicyCatalogue(items: items, agents: agents, popularity: popularity, vectors: vectors,
                                custom: ["department": department]), items)
    }

    static func randomShare(_ rng: inout SeededGenerator) -> Policy.ExposureTargets.Share {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: .init(min: Double.random(in: 0.05...0.5, using: &rng))
        case 1: .init(max: Double.random(in: 0.1...0.6, using: &rng))
        default: .init(min: Double.random(in: 0.05...0.2, using: &rng), max: Double.random(in: 0.3...0.7, using: &rng))
        }
    }

    static func randomPolicy(_ rng: inout SeededGenerator, items: [Item], catalogue: PolicyCatalogue) -> Policy {
        let attributes: [GroupAttribute] = [.makerGender, .century, .maker, .licence, .custom("department"), .custom("absent")]
        var policy = Policy(name: "random")
        if Bool.random(using: &rng) { policy.popularityCorrection = Double.random(in: 0...1, using: &rng) }
        if Bool.random(using: &rng) { policy.diversity = Double.random(in: 0...0.9, using: &rng) }
        if Int.random(in: 0..<3, using: &rng) == 0 { policy.maxPerMaker = Int.random(in: 1...3, using: &rng) }
        if Bool.random(using: &rng) {
            policy.makerShare = .init(max: Double.random(in: 0.05...0.4, using: &rng), tolerance: [0, 0.02].randomElement(using: &rng)!,
                                      pricing: [0, 0.1, 0.5].randomElement(using: &rng)!)
        }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            policy.calibration = .init(attribute: attributes.randomElement(using: &rng)!, strength: Double.random(in: 0...0.9, using: &rng))
        }
        if Int.random(in: 0..<4, using: &rng) != 0 {
            let attribute = attributes.randomElement(using: &rng)!
            var values = Array(catalogue.distinctValues(of: attribute)).sorted()
            values.append("no such value")
            var targets: [String: Policy.ExposureTargets.Share] = [:]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { targets[values.randomElement(using: &rng)!] = randomShare(&rng) }
            policy.exposure = .init(attribute: attribute, targets: targets, tolerance: [0, 0.01, 0.05].randomElement(using: &rng)!,
                                    denominator: Bool.random(using: &rng) ? .known : .all,
                                    pricing: [0, 0.1, 0.3].randomElement(using: &rng)!)
        }
        func randomTarget() -> Policy.Target {
            if Bool.random(using: &rng) { return .items((0..<Int.random(in: 1...3, using: &rng)).map { _ in items.randomElement(using: &rng)!.id }) }
            let attribute = attributes.randomElement(using: &rng)!
            let value = Array(catalogue.distinctValues(of: attribute)).sorted().randomElement(using: &rng) ?? GroupAttribute.unknownValue
            return .group(GroupKey(attribute: attribute, value: value))
        }
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: policy.rules.append(.ban(randomTarget()))
            case 1: policy.rules.append(.boost(randomTarget(), factor: Double.random(in: 0.3...3, using: &rng)))
            case 2: policy.rules.append(.pin(item: items.randomElement(using: &rng)!.id, slot: Int.random(in: 1...12, using: &rng)))
            case 3: policy.rules.append(.requireOpenLicence)
            default:
                policy.rules.append(.campaign(name: "show", from: start, to: start + 86_400 * 30, target: randomTarget(),
                                              factor: Double.random(in: 1...2, using: &rng),
                                              slot: Bool.random(using: &rng) ? Int.random(in: 1...10, using: &rng) : nil))
            }
        }
        return policy
    }

    /// Candidates with duplicates, unknown ids, ties and the odd non-finite score.
    static func randomCandidates(_ rng: inout SeededGenerator, items: [Item]) -> [(id: ItemID, score: Float)] {
        let n = Int.random(in: 0...min(items.count, 80), using: &rng)
        let positive = Bool.random(using: &rng)
        var out = items.shuffled(using: &rng).prefix(n).map { item -> (id: ItemID, score: Float) in
            let s = Float(Int.random(in: 0...40, using: &rng)) / 40
            return (item.id, positive ? s : s - 0.5)
        }
        if !out.isEmpty, Int.random(in: 0..<4, using: &rng) == 0 { out.append((out[0].id, 0.99)) }
        if Int.random(in: 0..<5, using: &rng) == 0 { out.append(("missing", 0.5)) }
        if !out.isEmpty, Int.random(in: 0..<8, using: &rng) == 0 { out[out.count - 1].score = [-Float.infinity, .nan].randomElement(using: &rng)! }
        return out
    }

    /// Equal items, comparing scores bit for bit (a NaN model score equals itself).
    static func same(_ a: [RankedItem], _ b: [RankedItem]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.id == y.id && x.modelScore.bitPattern == y.modelScore.bitPattern && x.score.bitPattern == y.score.bitPattern
                && x.adjustments == y.adjustments
        }
    }

    static func expectSameLedger(_ engine: PolicyEngine, _ reference: ReferencePolicyEngine, seed: Int) {
        #expect(engine.ledger.requestCount == reference.ledger.requests, "seed \(seed)")
        #expect(engine.ledger.totalExposure == reference.ledger.total, "seed \(seed)")
        #expect(engine.ledger.itemExposure() == reference.ledger.items, "seed \(seed)")
        for (attribute, groups) in reference.ledger.groups {
            #expect(engine.ledger.groupExposure(attribute) == groups, "seed \(seed), \(attribute)")
            let some = Set(groups.keys.prefix(2) + ["no such value"])
            #expect(engine.ledger.groupExposure(attribute, values: some) == groups.filter { some.contains($0.key) }, "seed \(seed)")
        }
    }

    @Test("random catalogues, policies and request streams give identical results and ledgers", arguments: 0..<40)
    func sameAsReference(seed: Int) {
        var rng = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 17)
        let (catalogue, items) = Self.randomCatalogue(&rng)
        let engine = PolicyEngine(catalogue: catalogue)
        let indexed = PolicyEngine(catalogue: catalogue)
        let reference = ReferencePolicyEngine(catalogue: catalogue)
        let policy = Self.randomPolicy(&rng, items: items, catalogue: catalogue)
        let now = Date(timeIntervalSince1970: 1_750_000_000 + Double(Int.random(in: -5...40, using: &rng)) * 86_400)
        for request in 0..<25 {
            let candidates = Self.randomCandidates(&rng, items: items)
            let history = (0..<Int.random(in: 0...6, using: &rng)).map { _ in items.randomElement(using: &rng)!.id }
            let k = [0, 1, 5, 10, 10, 10].randomElement(using: &rng)!
            let record = Int.random(in: 0..<6, using: &rng) != 0
            let byID = RerankRequest(candidates: candidates, k: k, history: history, now: now, recordExposure: record)
            let expected = reference.apply(policy, to: byID)
            let got = engine.apply(policy, to: byID)
            let byIndex = indexed.apply(policy, to: IndexedRerankRequest(
                candidates: candidates.map { (catalogue.index[$0.id] ?? -1, $0.score) }, k: k,
                history: history.compactMap { catalogue.index[$0] }, now: now, recordExposure: record))
            for result in [got, byIndex] {
                #expect(Self.same(result.items, expected.items), "seed \(seed), request \(request), policy \(policy)")
                #expect(result.filtered == expected.filtered, "seed \(seed), request \(request)")
                #expect(result.unknown == expected.unknown, "seed \(seed), request \(request)")
                #expect(result.indices == expected.items.map { catalogue.index[$0.id]! }, "seed \(seed), request \(request)")
            }
        }
        Self.expectSameLedger(engine, reference, seed: seed)
        Self.expectSameLedger(indexed, reference, seed: seed)
    }

    @Test func theDefaultPolicyOnALongStreamMatchesTheReference() throws {
        // The shipped default: an exposure target and a maker ceiling, whose prices grow with the ledger.
        let policy = Policy(name: "default", makerShare: .init(max: 0.2),
                            exposure: .init(attribute: .makerGender, targets: ["Female": .init(min: 0.25)], tolerance: 0.01))
        var rng = SeededGenerator(seed: 99)
        let (catalogue, items) = syntheticCatalogue(count: 300, makers: 30)
        let engine = PolicyEngine(catalogue: catalogue)
        let reference = ReferencePolicyEngine(catalogue: catalogue)
        for request in 0..<300 {
            // Skewed: maker 1 scores high, so the ceiling and the target both bite.
            let candidates = items.shuffled(using: &rng).prefix(100).map { item -> (id: ItemID, score: Float) in
                let boost: Float = item.makers.first?.agent == "agent:1" ? 0.5 : 0
                return (item.id, Float.random(in: 0...1, using: &rng) + boost)
            }
            let byID = RerankRequest(candidates: candidates, k: 10)
            let expected = reference.apply(policy, to: byID)
            let got = engine.apply(policy, to: byID)
            try #require(Self.same(got.items, expected.items), "request \(request)")
        }
        Self.expectSameLedger(engine, reference, seed: 99)
        #expect(engine.ledger.groupExposure(.makerGender)["Female"] ?? 0 > 0)
    }

    @Test func internedValuesReadBackAsTheirNames() {
        var rng = SeededGenerator(seed: 5)
        let (catalogue, _) = Self.randomCatalogue(&rng)
        for attribute: GroupAttribute in [.makerGender, .maker, .century, .licence, .custom("department"), .custom("absent")] {
            let table = catalogue.table(for: attribute)
            #expect(table.names == table.names.sorted())
            for index in 0..<catalogue.count {
                let names = catalogue.values(of: attribute, at: index)
                #expect(!names.isEmpty && names == names.sorted())
                #expect(table.range(at: index).map { table.names[Int(table.ids[$0])] } == names)
                for name in names { #expect(catalogue.isMember(index, of: GroupKey(attribute: attribute, value: name))) }
                #expect(!catalogue.isMember(index, of: GroupKey(attribute: attribute, value: "no such value")))
            }
        }
        #expect(catalogue.values(of: .custom("absent"), at: 0) == [GroupAttribute.unknownValue])
        #expect(catalogue.distinctValues(of: .custom("absent")).isEmpty)
    }
}
