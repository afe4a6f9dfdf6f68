import CurioCore
import CurioMath
import Foundation
@testable import CurioRecommend

/// A small collection with planted structure: `themes` groups of objects, each group sharing a maker, a subject
/// (under a broader term) and a period, so that visitors' tastes over facets create co-occurrence and content
/// signal at once.
struct SyntheticCollection {
    var items: [Item]
    var concepts: [Concept]
    var agents: [Agent]

    init(themes: Int = 12, itemsPerTheme: Int = 25, seed: UInt64 = 7) {
        var random = SeededRandom(seed: seed)
        var concepts: [Concept] = [Concept(id: "subject:root", scheme: .subject, label: "subject")]
        var agents: [Agent] = []
        for t in 0..<themes {
            concepts.append(Concept(id: ConceptID("subject:broad\(t / 3)"), scheme: .subject, label: "broad \(t / 3)",
                                    broader: "subject:root", level: 1))
            concepts.append(Concept(id: ConceptID("subject:s\(t)"), scheme: .subject, label: "theme \(t)",
                                    broader: ConceptID("subject:broad\(t / 3)"), level: 2))
            agents.append(Agent(id: AgentID("agent:\(t)"), name: "Maker \(t)"))
        }
        var items: [Item] = []
        for t in 0..<themes {
            for k in 0..<itemsPerTheme {
                let year = 1700 + t * 20 + random.nextInt(below: 15)
                // A few objects carry a second, unrelated subject, so content is informative but not perfect.
                var subjects = [ConceptID("subject:s\(t)")]
                if random.bernoulli(0.2) { subjects.append(ConceptID("subject:s\(random.nextInt(below: themes))")) }
                items.append(Item(id: ItemID(String(format: "T%02d-%03d", t, k)), source: "test", title: "Object \(t)-\(k)",
                                  makers: [MakerCredit(agent: AgentID("agent:\(t)"), name: "Maker \(t)")],
                                  date: DateRange(text: "\(year)", startYear: year, endYear: year),
                                  medium: k % 2 == 0 ? "Oil paint on canvas" : "Watercolour on paper",
                                  subjects: subjects))
            }
        }
        self.items = items
        self.concepts = concepts
        self.agents = agents
    }

    var catalogue: [ItemID] { items.map(\.id) }

    func simulate(visitors: Int, seed: UInt64 = 11, configure: (inout VisitorSimulator.Configuration) -> Void = { _ in }) throws -> VisitorSimulator.Output {
        var c = VisitorSimulator.Configuration()
        c.visitors = visitors
        c.seed = seed
        c.minimumFacetSize = 2
        c.singleShortVisitFraction = 0.15
        configure(&c)
        return try VisitorSimulator(items: items, concepts: concepts, agents: agents, configuration: c).run()
    }

    func features() -> ItemFeatures { MetadataFeatureEncoder.features(for: items, concepts: concepts) }

    /// Events simulated and turned into a matrix, with content features.
    func trainingData(visitors: Int, seed: UInt64 = 11) throws -> TrainingData {
        let output = try simulate(visitors: visitors, seed: seed)
        let matrix = try InteractionBuilder(now: Date(timeIntervalSince1970: 1_800_000_000))
            .build(events: output.events, catalogue: catalogue)
        return TrainingData(interactions: matrix, content: features())
    }
}

/// A fixed date for building events in tests.
func day(_ n: Double, hour: Double = 12) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + n * 86_400 + hour * 3_600) }

/// A unique temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("curio-recommend-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
