import CurioCore
import Foundation
@testable import CurioPolicy

/// A deterministic generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A synthetic collection: `count` items, makers cycling through `makers` agents, every fifth maker a woman,
/// centuries 16–20, every third item openly licensed, popularity falling with the item number.
func syntheticCatalogue(count: Int = 200, makers: Int = 20, withVectors: Bool = true) -> (PolicyCatalogue, [Item]) {
    var agents: [AgentID: Agent] = [:]
    for m in 0..<makers {
        let id = AgentID("agent:\(m)")
        agents[id] = Agent(id: id, name: "Maker \(m)", gender: m % 5 == 0 ? "Female" : "Male")
    }
    var items: [Item] = []
    var popularity: [ItemID: Double] = [:]
    var vectors: [ItemID: [Float]] = [:]
    for i in 0..<count {
        let id = ItemID(String(format: "I%04d", i))
        let maker = AgentID("agent:\(i % makers)")
        let year = 1500 + (i * 37) % 500
        items.append(Item(id: id, source: "test", title: "Item \(i)",
                          makers: [MakerCredit(agent: maker, name: "Maker \(i % makers)")],
                          date: DateRange(text: "\(year)", startYear: year, endYear: year),
                          rights: i % 3 == 0 ? "CC0" : "All rights reserved"))
        popularity[id] = Double(count - i)
        if withVectors {
            // Items by the same maker point the same way, so MMR has something to spread.
            var v = [Float](repeating: 0, count: makers)
            v[i % makers] = 1
            v[(i + 1) % makers] = 0.2
            vectors[id] = v
        }
    }
    return (PolicyCatalogue(items: items, agents: agents, popularity: popularity, vectors: vectors), items)
}
