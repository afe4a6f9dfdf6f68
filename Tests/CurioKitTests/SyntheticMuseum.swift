import CurioCore
import CurioKit
import CurioStore
import Foundation

/// A small synthetic collection for recommendation wiring tests: 8 makers (3 women), two subject trees, 120 works
/// over a century — enough structure for every model, small enough for debug builds.
enum SyntheticMuseum {
    static let broader = [Concept(id: "s:nature", scheme: .subject, label: "nature", level: 0),
                          Concept(id: "s:people", scheme: .subject, label: "people", level: 0)]
    static let subjects = (0..<6).map { i in
        Concept(id: ConceptID("s:\(i)"), scheme: .subject, label: ["sea", "storm", "tree", "portrait", "family", "dance"][i],
                broader: i < 3 ? "s:nature" : "s:people", level: 1)
    }
    static let agents = (0..<8).map { i in
        Agent(id: AgentID("a:\(i)"), name: ["Ann Vale", "Bea Stone", "Cara Moss", "Dan Hill", "Ed Reed", "Finn Ash",
                                            "Gus Lane", "Hal Pike"][i], gender: i < 3 ? "Female" : "Male")
    }

    /// Work `i`: maker `i % 8`, subject `i % 6`, period by `i % 5`.
    static func item(_ i: Int, prefix: String = "W") -> Item {
        let maker = agents[i % 8]
        let year = 1800 + (i % 5) * 20
        return Item(id: ItemID(String(format: "\(prefix)%04d", i)), source: "test", title: "Work \(i) by \(maker.name)",
                    makers: [MakerCredit(agent: maker.id, name: maker.name)],
                    date: DateRange(text: "\(year)", startYear: year, endYear: year),
                    medium: i % 2 == 0 ? "Oil paint on canvas" : "Watercolour on paper", subjects: [subjects[i % 6].id])
    }

    static let items = (0..<120).map { item($0) }

    /// A fresh database in its own folder holding the collection; the folder is removed with the returned value.
    final class Database {
        let folder: URL
        let curio: Curio
        var path: String { folder.appendingPathComponent("museum.db").path }

        init(simulate visitors: Int = 0) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-reco-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            curio = try Curio.create(at: folder.appendingPathComponent("museum.db").path)
            _ = try curio.store.write(RecordBatch(items: SyntheticMuseum.items, agents: SyntheticMuseum.agents,
                                                  concepts: SyntheticMuseum.broader + SyntheticMuseum.subjects))
            if visitors > 0 {
                _ = try curio.simulate(SimulationOptions(visitors: visitors, seed: 3, days: 60,
                                                         end: Date(timeIntervalSince1970: 1_700_000_000)))
            }
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        /// Events for `visitor` on works `items`, one minute apart, in 2024.
        func record(_ visitor: String, _ kind: EventKind, _ items: [Int], start: Double = 1_710_000_000) throws {
            let events = items.enumerated().map { n, i in
                Event(visitor: VisitorID(visitor), item: SyntheticMuseum.item(i).id, kind: kind,
                      timestamp: Date(timeIntervalSince1970: start + Double(n) * 60))
            }
            _ = try curio.recordEvents(events)
        }
    }
}
