import CurioCore
import Foundation
import Testing
@testable import CurioPolicy

@Suite("Applying policies to recommendation lists")
struct PolicyEngineTests {
    let catalogue: PolicyCatalogue
    let items: [Item]
    init() { (catalogue, items) = syntheticCatalogue() }

    private func candidates(_ n: Int, rng: inout SeededGenerator) -> [(id: ItemID, score: Float)] {
        Array(items.shuffled(using: &rng).prefix(n)).map { ($0.id, Float.random(in: 0...1, using: &rng)) }
    }

    /// `n` random candidates whose uniform random scores are reshaped by `score(value, base)`, where `value`
    /// is the candidate's only value of `attribute` (skewed model scores for exposure tests).
    private func candidates(_ n: Int, rng: inout SeededGenerator, by attribute: GroupAttribute,
                            score: (String, Float) -> Float) -> [(id: ItemID, score: Float)] {
        items.shuffled(using: &rng).prefix(n).map { item in
            let value = catalogue.values(of: attribute, at: catalogue.index[item.id]!).first ?? ""
            return (item.id, score(value, Float.random(in: 0...1, using: &rng)))
        }
    }

    @Test func anEmptyPolicyKeepsTheModelOrder() {
        let engine = PolicyEngine(catalogue: catalogue)
        let cands: [(id: ItemID, score: Float)] = [("I0003", 0.9), ("I0001", 0.5), ("I0002", 0.7)]
        let result = engine.apply(Policy(name: "none"), to: RerankRequest(candidates: cands, k: 3))
        #expect(result.items.map(\.id) == ["I0003", "I0002", "I0001"])
    }

    @Test func unknownCandidatesAreCountedNotReturned() {
        let engine = PolicyEngine(catalogue: catalogue)
        let result = engine.apply(Policy(name: "none"), to: RerankRequest(candidates: [("nope", 1), ("I0001", 0.5)], k: 5))
        #expect(result.items.map(\.id) == ["I0001"])
        #expect(result.unknown == 1)
    }

    @Test("pins, bans and licence filters are always honoured", arguments: 0..<25)
    func hardRulesAlwaysHold(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        let pinned = items.randomElement(using: &rng)!.id
        let banned = items.filter { $0.id != pinned }.randomElement(using: &rng)!.id
        let bannedMaker = "agent:\(Int.random(in: 0..<20, using: &rng))"
        let slot = Int.random(in: 1...10, using: &rng)
        let requireOpen = Bool.random(using: &rng)
        var policy = Policy(name: "p", popularityCorrection: Double.random(in: 0...1, using: &rng),
                            diversity: Double.random(in: 0...0.8, using: &rng), maxPerMaker: Int.random(in: 1...3, using: &rng),
                            calibration: .init(attribute: .century, strength: 0.5),
                            exposure: .init(attribute: .makerGender, targets: ["Female": .init(min: 0.4)]),
                            rules: [.pin(item: pinned, slot: slot), .ban(.items([banned])),
                                    .ban(.group(GroupKey(attribute: .maker, value: bannedMaker)))])
        if requireOpen { policy.rules.append(.requireOpenLicence) }
        try policy.validate()
        let engine = PolicyEngine(catalogue: catalogue)
        let pinnedIndex = catalogue.index[pinned]!
        let pinnedAllowed = !catalogue.values(of: .maker, at: pinnedIndex).contains(bannedMaker)
            && (!requireOpen || catalogue.values(of: .licence, at: pinnedIndex) == ["open"])
        for _ in 0..<20 {
            let request = RerankRequest(candidates: candidates(60, rng: &rng), k: 10,
                                        history: Array(items.prefix(5).map(\.id)))
            let result = engine.apply(policy, to: request)
            let ids = result.items.map(\.id)
            #expect(ids.count <= 10)
            #expect(Set(ids).count == ids.count, "duplicates in \(ids)")
            #expect(!ids.contains(banned))
            for id in ids {
                let i = catalogue.index[id]!
                #expect(!catalogue.values(of: .maker, at: i).contains(bannedMaker))
                if requireOpen { #expect(catalogue.values(of: .licence, at: i) == ["open"]) }
            }
            if pinnedAllowed {
                #expect(ids.count >= slot && ids[slot - 1] == pinned, "pinned \(pinned) not in slot \(slot): \(ids)")
            } else {
                #expect(!ids.contains(pinned))
            }
        }
    }

    @Test func noMoreThanTheCapPerMaker() {
        var rng = SeededGenerator(seed: 7)
        let engine = PolicyEngine(catalogue: catalogue)
        // Candidates dominated by maker 0.
        var cands = items.filter { $0.makers[0].agent == "agent:0" }.map { ($0.id, Float(0.9)) }
        cands += candidates(40, rng: &rng)
        let result = engine.apply(Policy(name: "cap", maxPerMaker: 2), to: RerankRequest(candidates: cands, k: 10))
        var counts: [AgentID: Int] = [:]
        for id in result.items.map(\.id) { counts[items[catalogue.index[id]!].makers[0].agent, default: 0] += 1 }
        #expect(counts.values.allSatisfy { $0 <= 2 })
        #expect(result.items.count == 10)
    }

    @Test func diversityRaisesIntraListDiversity() {
        var rng = SeededGenerator(seed: 11)
        let engine = PolicyEngine(catalogue: catalogue)
        var plain = 0.0, diverse = 0.0
        for _ in 0..<30 {
            let cands = candidates(80, rng: &rng)
            let a = engine.apply(Policy(name: "a"), to: RerankRequest(candidates: cands, k: 10, recordExposure: false))
            let b = engine.apply(Policy(name: "b", diversity: 0.5), to: RerankRequest(candidates: cands, k: 10, recordExposure: false))
            plain += PolicyMetrics.intraListDiversity(a.items.map { catalogue.index[$0.id]! }, catalogue: catalogue)
            diverse += PolicyMetrics.intraListDiversity(b.items.map { catalogue.index[$0.id]! }, catalogue: catalogue)
        }
        #expect(diverse > plain)
    }

    @Test func calibrationBringsTheListCloserToTheVisitorsMix() {
        var rng = SeededGenerator(seed: 5)
        let engine = PolicyEngine(catalogue: catalogue)
        // A visitor who only looked at 16th-century works.
        let history = items.filter { $0.date!.century == 16 }.prefix(6).map(\.id)
        let historyIdx = history.map { catalogue.index[$0]! }
        var before = 0.0, after = 0.0
        for _ in 0..<30 {
            let cands = candidates(100, rng: &rng)
            let a = engine.apply(Policy(name: "a"), to: RerankRequest(candidates: cands, k: 10, history: Array(history), recordExposure: false))
            let b = engine.apply(Policy(name: "b", calibration: .init(attribute: .century, strength: 0.7)),
                                 to: RerankRequest(candidates: cands, k: 10, history: Array(history), recordExposure: false))
            before += PolicyMetrics.calibrationKL(history: historyIdx, list: a.items.map { catalogue.index[$0.id]! }, attribute: .century, catalogue: catalogue)
            after += PolicyMetrics.calibrationKL(history: historyIdx, list: b.items.map { catalogue.index[$0.id]! }, attribute: .century, catalogue: catalogue)
        }
        #expect(after < before)
    }

    @Test func popularityCorrectionReachesIntoTheLongTail() {
        var rng = SeededGenerator(seed: 3)
        let engine = PolicyEngine(catalogue: catalogue)
        var plain = 0.0, corrected = 0.0
        for _ in 0..<30 {
            let cands = candidates(80, rng: &rng)
            let a = engine.apply(Policy(name: "a"), to: RerankRequest(candidates: cands, k: 10, recordExposure: false))
            let b = engine.apply(Policy(name: "b", popularityCorrection: 0.8), to: RerankRequest(candidates: cands, k: 10, recordExposure: false))
            plain += a.items.map { catalogue.popularity[catalogue.index[$0.id]!] }.reduce(0, +)
            corrected += b.items.map { catalogue.popularity[catalogue.index[$0.id]!] }.reduce(0, +)
        }
        #expect(corrected < plain)
    }

    @Test func campaignsApplyOnlyInsideTheirWindow() {
        let engine = PolicyEngine(catalogue: catalogue)
        let day: TimeInterval = 86_400
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let policy = Policy(name: "c", rules: [.campaign(name: "Winter show", from: start, to: start + 30 * day,
                                                          target: .items(["I0150"]), factor: 1, slot: 1)])
        let cands: [(id: ItemID, score: Float)] = [("I0001", 0.9), ("I0002", 0.8), ("I0150", 0.1)]
        let during = engine.apply(policy, to: RerankRequest(candidates: cands, k: 3, now: start + day))
        let after = engine.apply(policy, to: RerankRequest(candidates: cands, k: 3, now: start + 40 * day))
        #expect(during.items.first?.id == "I0150")
        #expect(during.items.first?.adjustments.contains { $0.kind == .campaign } == true)
        #expect(after.items.first?.id == "I0001")
    }

    @Test func amortisedExposureConvergesToTheTarget() {
        // Model scores favour men strongly; the policy asks for at least 40% of exposure for women.
        var rng = SeededGenerator(seed: 42)
        let engine = PolicyEngine(catalogue: catalogue)
        let policy = Policy(name: "fair", exposure: .init(attribute: .makerGender, targets: ["Female": .init(min: 0.4)], tolerance: 0.01))
        for _ in 0..<2_000 {
            let cands = candidates(50, rng: &rng, by: .makerGender) { gender, base in base * (gender == "Female" ? 0.5 : 1) }
            _ = engine.apply(policy, to: RerankRequest(candidates: cands, k: 10))
        }
        let exposure = engine.ledger.groupExposure(.makerGender)
        let share = (exposure["Female"] ?? 0) / exposure.values.reduce(0, +)
        #expect(abs(share - 0.4) < 0.05, "women's share \(share)")
        let report = PolicyMetrics.exposureReport(ledger: engine.ledger, catalogue: catalogue, policy: policy)
        #expect(report.groups.first { $0.value == "Female" }?.withinTarget == true)
        #expect(report.requests == 2_000)
    }

    @Test("amortised exposure converges with and without the exposure price", arguments: [0.0, 0.1, 1.0])
    func amortisedExposureConvergesAtAnyPricing(pricing: Double) {
        var rng = SeededGenerator(seed: 7)
        let engine = PolicyEngine(catalogue: catalogue)
        let policy = Policy(name: "fair", exposure: .init(attribute: .makerGender, targets: ["Female": .init(min: 0.3), "Male": .init(max: 0.75)],
                                                          tolerance: 0.02, pricing: pricing))
        for _ in 0..<3_000 {
            let cands = candidates(50, rng: &rng, by: .makerGender) { gender, base in base * (gender == "Female" ? 0.6 : 1) }
            _ = engine.apply(policy, to: RerankRequest(candidates: cands, k: 10))
        }
        let exposure = engine.ledger.groupExposure(.makerGender)
        let share = (exposure["Female"] ?? 0) / exposure.values.reduce(0, +)
        #expect(share > 0.3 - 0.02 && share < 0.3 + 0.05, "women's share \(share) at pricing \(pricing)")
    }

    @Test func aMakerCeilingHoldsOverTheStreamButNotWithinEachList() {
        // Maker 0's works score highest for every visitor; no maker may take more than 15% of all exposure.
        var rng = SeededGenerator(seed: 5)
        let engine = PolicyEngine(catalogue: catalogue)
        let policy = Policy(name: "ceiling", makerShare: .init(max: 0.15, tolerance: 0.02))
        var mostInOneList = 0
        for _ in 0..<2_000 {
            let cands = candidates(60, rng: &rng, by: .maker) { maker, base in base + (maker == "agent:0" ? 0.8 : 0) }
            let served = engine.apply(policy, to: RerankRequest(candidates: cands, k: 10)).items
            mostInOneList = max(mostInOneList, served.filter { catalogue.values(of: .maker, at: catalogue.index[$0.id]!) == ["agent:0"] }.count)
        }
        let exposure = engine.ledger.groupExposure(.maker)
        let share = (exposure["agent:0"] ?? 0) / engine.ledger.totalExposure
        #expect(share <= 0.15 + 0.02, "maker 0's share \(share)")
        #expect(share >= 0.10, "the ceiling should not starve the maker: \(share)")
        #expect(mostInOneList >= 3, "a list may still hold several works by the maker (\(mostInOneList))")
        #expect(exposure.filter { $0.key != "agent:0" }.values.allSatisfy { $0 / engine.ledger.totalExposure <= 0.17 })
    }

    @Test func eachPriceMoveIsLabelledWithTheTargetThatCausedIt() {
        // Maker 1 (a man) leads every list; women are under their target and no maker may exceed 15%: both prices
        // act in the same lists, and each move must name its own cause.
        var rng = SeededGenerator(seed: 9)
        let engine = PolicyEngine(catalogue: catalogue)
        let policy = Policy(name: "both", makerShare: .init(max: 0.15, tolerance: 0.05),
                            exposure: .init(attribute: .makerGender, targets: ["Female": .init(min: 0.3)], tolerance: 0.05))
        var kinds: [Adjustment.Kind: Int] = [:]
        for _ in 0..<1_500 {
            let cands = candidates(60, rng: &rng, by: .maker) { maker, base in base + (maker == "agent:1" ? 0.8 : 0) }
            for item in engine.apply(policy, to: RerankRequest(candidates: cands, k: 10)).items {
                let index = catalogue.index[item.id]!
                for a in item.adjustments {
                    kinds[a.kind, default: 0] += 1
                    if a.kind == .fairness { #expect(catalogue.values(of: .makerGender, at: index) == ["Female"], "\(a)") }
                    if a.kind == .makerCap { #expect(catalogue.values(of: .maker, at: index) != ["agent:1"], "\(a)") }
                }
            }
        }
        #expect(kinds[.fairness, default: 0] > 0 && kinds[.makerCap, default: 0] > 0, "\(kinds)")
    }

    @Test func theExposurePriceSpendsRelevanceWhereItIsCheapest() {
        // Two kinds of visitors alternate. For "sure" visitors the model's men are far ahead of every woman; for
        // "unsure" ones a woman is nearly as good. Both controllers must deliver the target; the priced one should
        // take the women's slots from the unsure lists and so lose less of the model's score.
        func run(pricing: Double) -> (share: Double, loss: Double, sureShare: Double) {
            var rng = SeededGenerator(seed: 11)
            let engine = PolicyEngine(catalogue: catalogue)
            let policy = Policy(name: "fair", exposure: .init(attribute: .makerGender, targets: ["Female": .init(min: 0.25)],
                                                              tolerance: 0.02, pricing: pricing))
            var loss = 0.0, sureWomen = 0.0, allWomen = 0.0
            for request in 0..<2_000 {
                let sure = request % 2 == 0
                let cands = candidates(60, rng: &rng, by: .makerGender) { gender, base in
                    gender == "Female" ? (sure ? 0.3 * base : 0.95 * base) : base
                }
                let score = Dictionary(uniqueKeysWithValues: cands.map { ($0.id, Double($0.score)) })
                let best = cands.map { Double($0.score) }.sorted(by: >).prefix(10).reduce(0, +)
                let served = engine.apply(policy, to: RerankRequest(candidates: cands, k: 10)).items
                loss += best - served.reduce(0) { $0 + (score[$1.id] ?? 0) }
                for (rank, item) in served.enumerated()
                where catalogue.values(of: .makerGender, at: catalogue.index[item.id]!) == ["Female"] {
                    let w = ExposureLedger.weight(rank: rank + 1)
                    allWomen += w
                    if sure { sureWomen += w }
                }
            }
            let exposure = engine.ledger.groupExposure(.makerGender)
            return ((exposure["Female"] ?? 0) / exposure.values.reduce(0, +), loss, sureWomen / max(allWomen, 1e-9))
        }
        let greedy = run(pricing: 0), priced = run(pricing: Policy.ExposureTargets.defaultPricing)
        #expect(greedy.share >= 0.25 - 0.02 && priced.share >= 0.25 - 0.02, "shares \(greedy.share), \(priced.share)")
        #expect(priced.loss < 0.8 * greedy.loss, "relevance lost: priced \(priced.loss), greedy \(greedy.loss)")
        #expect(priced.sureShare < greedy.sureShare, "women's exposure in sure lists: priced \(priced.sureShare), greedy \(greedy.sureShare)")
    }
}
