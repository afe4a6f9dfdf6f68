import CurioCore
import Foundation

/// Simulated visitors for evaluating the guide: each has a hidden target object and answers questions and
/// critiques truthfully from the target's stored metadata, never saying anything false about it.
///
/// Opening: one or two true attributes of the target (a specific subject, the medium, the century).
/// After a question: the option that is true of the target, or "no preference". After a list without the
/// target: one new true piece of information, in this order of preference — its maker's surname (half the
/// time, as visitors often know the artist), "older"/"newer" relative to the first object shown when the
/// dates differ by more than a decade, another of its specific subjects, its medium, or "show me others".
public struct SimulatedVisitor: Sendable {
    public let target: ItemFacts
    private var rng: SplitMix
    private var said: Set<String> = []

    public init(target: ItemFacts, seed: UInt64) {
        self.target = target
        self.rng = SplitMix(seed: seed)
    }

    /// Specific subjects (not level-0/1 themes), most specific first.
    private var specificSubjects: [String] {
        target.subjects.filter { s in !target.themes.contains(s) && !["subject"].contains(s.label) }.map(\.label)
            .filter { $0.count <= 30 && !$0.contains(",") && !$0.contains("'") && !$0.contains(":") }
    }

    /// The first message.
    public mutating func opening() -> String {
        var parts: [String] = []
        let subjects = specificSubjects
        if !subjects.isEmpty {
            let s = subjects[Int(rng.next() % UInt64(subjects.count))]
            parts.append(s)
            said.insert("subject:" + s)
        }
        if let m = target.mediumTerms.first, rng.next() % 2 == 0 || parts.isEmpty {
            parts.append("in \(m)")
            said.insert("medium")
        }
        if parts.isEmpty, let y = target.year {
            parts.append("from the \(y / 100 + 1)th century")
            said.insert("century")
        }
        if parts.isEmpty { parts.append(target.title) }
        return "I'm looking for something with " + parts.joined(separator: " ")
    }

    /// The next message after `reply`, or nil when the target was found.
    public mutating func next(after reply: Reply, catalogue: DialogueCatalogue) -> String? {
        if reply.items.contains(where: { $0.id == target.id }) { return nil }
        if let q = reply.question {
            for (n, option) in q.options.enumerated() where holds(option.constraint) {
                return rng.next() % 2 == 0 ? option.label : "\(n + 1)"
            }
            return "no preference"
        }
        if let maker = target.makers.first, !said.contains("maker"), rng.next() % 2 == 0 {
            said.insert("maker")
            return "by \(maker.label.split(separator: " ").last.map(String.init) ?? maker.label)"
        }
        if let shown = reply.items.first.flatMap({ catalogue.facts($0.id) }), let y = shown.year, let t = target.year, abs(y - t) > 10 {
            return t < y ? "something older" : "something newer"
        }
        for s in specificSubjects where !said.contains("subject:" + s) {
            said.insert("subject:" + s)
            return "with \(s)"
        }
        if let m = target.mediumTerms.first, !said.contains("medium") {
            said.insert("medium")
            return "in \(m)"
        }
        if let maker = target.makers.first, !said.contains("maker") {
            said.insert("maker")
            return "by \(maker.label)"
        }
        return "show me others"
    }

    private func holds(_ c: Constraint) -> Bool {
        switch c.value {
        case let .entity(e):
            switch e.kind {
            case .maker: return target.makers.contains { $0.id == e.id }
            case .subject: return target.subjects.contains { $0.id == e.id }
            case .movement: return target.movements.contains { $0.id == e.id }
            case .medium: return target.mediumTerms.contains(e.id)
            case .place: return target.places.contains { $0.id == e.id }
            case .colour: return target.colours.contains(e.id)
            case .item: return target.id.rawValue == e.id
            }
        case let .years(from, to):
            guard let y = target.year else { return false }
            return (from.map { y >= $0 } ?? true) && (to.map { y <= $0 } ?? true)
        case let .gender(g): return target.makerGenders.contains(g)
        }
    }
}

/// Results of simulated conversations against the guide and a non-conversational baseline.
public struct DialogueEvaluation: Sendable, Codable {
    public var conversations: Int
    public var successWithin5: Double
    public var successWithin10: Double
    /// Mean turns to success over successful conversations.
    public var meanTurnsToSuccess: Double
    public var baselineSuccessWithin5: Double
    public var baselineSuccessWithin10: Double
    public var baselineMeanTurnsToSuccess: Double
    /// Reply latency percentiles in milliseconds (offline engine).
    public var latencyP50ms: Double
    public var latencyP95ms: Double
    /// The same without loading and saving the conversation (equal to the above when it is not kept in a store).
    public var engineLatencyP50ms: Double = 0
    public var engineLatencyP95ms: Double = 0
    /// CPU time of the replying thread per reply (load and save included when kept in a store): the work itself,
    /// without the waits for a core that a busy machine adds to the wall-clock latency.
    public var cpuP50ms: Double = 0
    public var cpuP95ms: Double = 0
    /// Replies naming an object that does not exist, or a title/fact that is not stored.
    public var hallucinations: Int
    /// The first problems the audit found (conversation, turn, problem), so that each can be looked into.
    public var hallucinationExamples: [String] = []
    public var replies: Int
    /// Per stage of a reply (``ReplyTimings/Stage``): median and 95th percentile over all replies, and the mean
    /// over the slowest 5 % of replies — where the tail's time goes.
    public var stages: [StageLatency] = []
    /// The slowest replies (conversation, turn, message, milliseconds per stage), slowest first.
    public var slowestReplies: [String] = []

    /// Latency of one stage of the reply path, in milliseconds.
    public struct StageLatency: Sendable, Codable, Equatable {
        public var stage: String
        public var p50ms: Double
        public var p95ms: Double
        /// Mean over the replies at or above the overall 95th percentile.
        public var tailMeanMs: Double
    }

    /// Runs `count` simulated conversations with targets drawn (seeded) from objects that have subjects.
    public static func run(engine: DialogueEngine, count: Int, maxTurns: Int = 10, seed: UInt64 = 1) -> DialogueEvaluation {
        simulate(engine: engine, count: count, maxTurns: maxTurns, seed: seed, load: { _ in }, save: { _ in })
    }

    /// Runs `count` simulated conversations like ``run(engine:count:maxTurns:seed:)``, keeping each conversation in
    /// `conversations` as a server does: loaded before every reply and saved after it, inside the measured time
    /// (the ``ReplyTimings/Stage/persistence`` stage).
    /// - Throws: what the store throws.
    public static func run(engine: DialogueEngine, count: Int, maxTurns: Int = 10, seed: UInt64 = 1,
                           conversations: any ConversationStore) throws -> DialogueEvaluation {
        try simulate(engine: engine, count: count, maxTurns: maxTurns, seed: seed,
                     load: { state in if let kept = try conversations.load(state.id) { state = kept } },
                     save: { state in try conversations.save(state) })
    }

    private static func simulate(engine: DialogueEngine, count: Int, maxTurns: Int, seed: UInt64,
                                 load: (inout DialogueState) throws -> Void,
                                 save: (DialogueState) throws -> Void) rethrows -> DialogueEvaluation {
        let catalogue = engine.catalogue
        var rng = SplitMix(seed: seed)
        let eligible = catalogue.items.filter { $0.subjects.count >= 2 }
        var successes5 = 0, successes10 = 0, turnsSum = 0
        var base5 = 0, base10 = 0, baseTurnsSum = 0, baseSuccesses = 0
        var latencies: [Double] = [], engineLatencies: [Double] = [], cpu: [Double] = []
        var timed: [(total: Double, timings: ReplyTimings, label: String)] = []
        var hallucinations = 0, replies = 0
        var examples: [String] = []
        let check = OfflineGroundingAudit(catalogue: catalogue)
        for n in 0..<count {
            guard !eligible.isEmpty else { break }
            let target = eligible[Int(rng.next() % UInt64(eligible.count))]
            var visitor = SimulatedVisitor(target: target, seed: seed &+ UInt64(n))
            var state = DialogueState(id: "sim-\(n)")
            try save(state)
            var message: String? = visitor.opening()
            let opening = message!
            var foundAt: Int?
            for turn in 1...maxTurns {
                guard let m = message else { break }
                var timings = ReplyTimings()
                let cpuStart = threadCPUTime()
                let start = DispatchTime.now().uptimeNanoseconds
                try timings.measure(.persistence) { try load(&state) }
                let reply = engine.respond(to: m, state: &state, timings: &timings)
                try timings.measure(.persistence) { try save(state) }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                latencies.append(elapsed)
                cpu.append((threadCPUTime() - cpuStart) * 1e3)
                engineLatencies.append(elapsed - timings[.persistence])
                timed.append((elapsed, timings, "conversation \(n), turn \(turn), \(reply.intent.rawValue)\(reply.question != nil ? " (asked)" : ""), \"\(m)\""))
                replies += 1
                let problems = check.problems(in: reply)
                hallucinations += problems.count
                for p in problems where examples.count < 20 {
                    examples.append("conversation \(n), turn \(turn), message \"\(m)\": \(p) — reply: \(reply.text.prefix(300))")
                }
                if reply.items.contains(where: { $0.id == target.id }) { foundAt = turn; break }
                message = visitor.next(after: reply, catalogue: catalogue)
            }
            if let t = foundAt {
                turnsSum += t
                if t <= 5 { successes5 += 1 }
                if t <= 10 { successes10 += 1 }
            }
            // Baseline: the opening as one search, then paging three at a time.
            let ranked = engine.tools.search(opening, k: maxTurns * engine.settings.listSize)
            if let rank = ranked.firstIndex(where: { $0.id == target.id }) {
                let turn = rank / engine.settings.listSize + 1
                baseTurnsSum += turn
                baseSuccesses += 1
                if turn <= 5 { base5 += 1 }
                if turn <= 10 { base10 += 1 }
            }
        }
        latencies.sort()
        engineLatencies.sort()
        cpu.sort()
        func pct(_ p: Double, _ values: [Double]) -> Double { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * p))] }
        func pct(_ p: Double) -> Double { pct(p, latencies) }
        let tailFrom = pct(0.95)
        let tail = timed.filter { $0.total >= tailFrom }
        let stages = ReplyTimings.Stage.allCases.map { stage -> StageLatency in
            let values = timed.map { $0.timings[stage] }.sorted()
            func p(_ q: Double) -> Double { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * q))] }
            return StageLatency(stage: stage.name, p50ms: p(0.5), p95ms: p(0.95),
                                tailMeanMs: tail.isEmpty ? 0 : tail.map { $0.timings[stage] }.reduce(0, +) / Double(tail.count))
        }
        let slowest = timed.sorted { $0.total > $1.total }.prefix(10).map { entry in
            String(format: "%.1f ms ", entry.total) + entry.label + ": "
                + ReplyTimings.Stage.allCases.filter { entry.timings[$0] >= 0.05 }
                    .map { "\($0.name) " + String(format: "%.1f", entry.timings[$0]) }.joined(separator: ", ")
        }
        let c = Double(max(1, count))
        return DialogueEvaluation(conversations: count, successWithin5: Double(successes5) / c, successWithin10: Double(successes10) / c,
                                  meanTurnsToSuccess: successes10 > 0 ? Double(turnsSum) / Double(successes10) : 0,
                                  baselineSuccessWithin5: Double(base5) / c, baselineSuccessWithin10: Double(base10) / c,
                                  baselineMeanTurnsToSuccess: baseSuccesses > 0 ? Double(baseTurnsSum) / Double(baseSuccesses) : 0,
                                  latencyP50ms: pct(0.5), latencyP95ms: pct(0.95),
                                  engineLatencyP50ms: pct(0.5, engineLatencies), engineLatencyP95ms: pct(0.95, engineLatencies),
                                  cpuP50ms: pct(0.5, cpu), cpuP95ms: pct(0.95, cpu),
                                  hallucinations: hallucinations,
                                  hallucinationExamples: examples, replies: replies, stages: stages, slowestReplies: Array(slowest))
    }
}

/// Seconds of CPU the calling thread has used.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Checks an offline reply against the catalogue: every object exists with the title and date shown, and every
/// italic title in the text or explanations is the title of an object in the collection.
public struct OfflineGroundingAudit: Sendable {
    public let catalogue: DialogueCatalogue
    private let titles: Set<String>
    public init(catalogue: DialogueCatalogue) {
        self.catalogue = catalogue
        self.titles = Set(catalogue.items.map { TextNormalizer.fold($0.title) })
    }

    /// Problems found (empty when the reply is grounded).
    public func problems(in reply: Reply) -> [String] {
        var out: [String] = []
        for item in reply.items {
            guard let f = catalogue.facts(item.id) else { out.append("unknown item \(item.id)"); continue }
            if f.title != item.title { out.append("wrong title for \(item.id)") }
            if f.dateText != item.date { out.append("wrong date for \(item.id)") }
            if f.makers.map(\.label) != item.makers { out.append("wrong makers for \(item.id)") }
        }
        for text in [reply.text] + reply.items.flatMap(\.because) {
            for span in MarkdownItalics.spans(in: text) {
                let t = TextNormalizer.fold(span)
                if !t.isEmpty, !titles.contains(t) { out.append("unknown title *\(span)*") }
            }
        }
        return out
    }
}

/// A small deterministic generator (SplitMix64) so simulations are reproducible.
struct SplitMix: Sendable {
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
