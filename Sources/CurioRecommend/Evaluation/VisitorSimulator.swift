import CurioCore
import CurioMath
import Foundation

/// A distribution of counts (items per visit, returns).
public enum CountDistribution: Codable, Sendable, Hashable {
    /// Failures before the first success, shifted by `minimum`: mean `minimum + mean`.
    case geometric(mean: Double, minimum: Int)
    /// Over-dispersed counts (gamma–Poisson), shifted by `minimum`.
    case negativeBinomial(mean: Double, dispersion: Double, minimum: Int)
    case poisson(mean: Double, minimum: Int)
    case fixed(Int)

    /// One draw.
    public func sample(_ random: inout SeededRandom) -> Int {
        switch self {
        case let .geometric(mean, minimum):
            return minimum + (mean <= 0 ? 0 : random.geometric(successProbability: 1 / (1 + mean)))
        case let .negativeBinomial(mean, dispersion, minimum):
            return minimum + random.negativeBinomial(mean: mean, dispersion: max(dispersion, 1e-3))
        case let .poisson(mean, minimum):
            return minimum + random.poisson(mean: mean)
        case let .fixed(n):
            return n
        }
    }
}

/// A distribution of durations in seconds.
public enum DurationDistribution: Codable, Sendable, Hashable {
    /// `median · exp(σ·N(0,1))`.
    case logNormal(medianSeconds: Double, sigma: Double)
    case exponential(meanSeconds: Double)
    case fixed(seconds: Double)

    /// One draw.
    public func sample(_ random: inout SeededRandom) -> Double {
        switch self {
        case let .logNormal(median, sigma): median * exp(sigma * random.normal())
        case let .exponential(mean): random.exponential(mean: mean)
        case let .fixed(seconds): seconds
        }
    }
}

/// A room a simulated visitor walks into, with the objects on display there.
public struct RoomVisit: Sendable, Hashable {
    public var room: String
    public var items: [ItemID]
    public init(room: String, items: [ItemID]) {
        self.room = room
        self.items = items
    }
}

/// Room-by-room walking through a venue, for when venues exist: the simulator asks where a visitor starts and
/// where they go next, and picks objects among the room's.
public protocol VenueWalk: Sendable {
    /// The room a visit starts in.
    func entrance(random: inout SeededRandom) -> RoomVisit
    /// The next room after `room`, or nil when the visitor leaves.
    func nextRoom(after room: String, random: inout SeededRandom) -> RoomVisit?
}

/// Generates realistic visitor sessions over any collection, for demos, tests and offline evaluation.
///
/// The generative model (documented in docs/recommenders.md) is deliberately **not** a low-rank factor model, so
/// it does not favour factorisation recommenders:
/// 1. **Facets.** Every object has facet values: its subjects and their broader terms, its makers, its movements
///    (its own, or its makers'), and its period (25-year bins of the date).
/// 2. **Fame.** A popularity prior independent of any visitor's taste: each maker gets a fame drawn log-normally and
///    boosted by their productivity, each object a log-normal fame of its own; objects are ranked by the product
///    and given Zipf-like prior mass `(rank + 10)^(−s)`.
/// 3. **Tastes.** Each visitor has a sparse mixture of 1 + Poisson(λ) interests; an interest is a facet value
///    (a subject, maker, movement or period, chosen with configurable probabilities, values weighted by the square
///    root of their size) and the mixture weights are Dirichlet(α).
/// 4. **Display.** Only a fraction of the collection is on display (at least ``Configuration/minimumDisplayed``
///    objects, sampled once, favouring famous objects);
///    visits in the building choose among displayed objects, online visits (``Configuration/onSiteShare``) among all.
/// 5. **Visits.** A fraction of visitors make a single short visit (one or two objects); the others make
///    1 + geometric returns separated by exponential gaps, each visit with a negative-binomial number of objects.
/// 6. **Choice.** Each next object is, with probability `popularChoice`, a famous object (drawn from the prior);
///    with `exploreChoice` a uniformly random one; otherwise an object of one of the visitor's interests (interest
///    by weight, object by tempered fame `prior^τ`). With a ``VenueWalk``, choices are restricted to the current room
///    and weighted by affinity × fame.
/// 7. **Events.** Each object yields a `view` (or a `scan`), usually a `dwell` (log-normal seconds, longer when the
///    object matches the visitor's interests), sometimes a `like`, `rate`, `share` or `skip`, with affinity-dependent
///    probabilities, and timestamps within opening hours over the date range.
///
/// Same configuration and seed, same events, whatever the number of cores.
public struct VisitorSimulator: Sendable {
    /// Simulation settings with museum-like defaults.
    public struct Configuration: Codable, Sendable, Hashable {
        public var visitors: Int = 1_000
        public var seed: UInt64 = 42
        /// First and last day of the simulated period.
        public var start: Date = Date(timeIntervalSince1970: 1_672_531_200) // 2023-01-01
        public var end: Date = Date(timeIntervalSince1970: 1_704_067_200) // 2024-01-01
        /// Opening hours (local hours after midnight UTC).
        public var openingHour: Double = 10
        public var closingHour: Double = 18
        /// Mean number of interests beyond the first.
        public var extraInterestsMean: Double = 1.5
        public var maxInterests: Int = 6
        /// Dirichlet concentration of interest weights (small = one dominant interest).
        public var dirichletAlpha: Double = 0.7
        /// Probability that an interest is a subject, maker, movement or period (normalised).
        public var subjectInterest: Double = 0.45
        public var makerInterest: Double = 0.25
        public var movementInterest: Double = 0.15
        public var periodInterest: Double = 0.15
        /// Facet values with fewer objects are not chosen as interests.
        public var minimumFacetSize: Int = 3
        /// Zipf exponent s of the fame prior.
        public var zipfExponent: Double = 0.9
        /// How strongly maker productivity raises maker fame (exponent of 1 + items).
        public var productivityFame: Double = 0.3
        /// Temperature τ on fame when choosing within an interest (0 = uniform, 1 = full prior).
        public var fameTemperature: Double = 0.5
        /// Fraction of the collection on display (chosen once, favouring famous objects); museums show a few
        /// percent of their holdings.
        public var displayedFraction: Double = 0.08
        /// At least this many objects are on display (a small collection is shown whole).
        public var minimumDisplayed: Int = 2_000
        /// Probability that a visit is in the building (choices among displayed objects); otherwise it is an online
        /// visit over the whole collection.
        public var onSiteShare: Double = 0.85
        public var popularChoice: Double = 0.2
        public var exploreChoice: Double = 0.05
        /// Fraction of visitors making a single short visit (one or two objects).
        public var singleShortVisitFraction: Double = 0.3
        /// Returns after the first visit (for the other visitors).
        public var returns: CountDistribution = .geometric(mean: 0.4, minimum: 0)
        /// Mean days between visits.
        public var daysBetweenVisits: Double = 45
        /// Objects per visit.
        public var sessionLength: CountDistribution = .negativeBinomial(mean: 10, dispersion: 2, minimum: 2)
        /// Dwell seconds at an object of no particular interest; multiplied by (1 + 2·affinity).
        public var dwell: DurationDistribution = .logNormal(medianSeconds: 18, sigma: 0.8)
        /// Seconds walking between objects.
        public var walk: DurationDistribution = .logNormal(medianSeconds: 40, sigma: 0.6)
        public var scanProbability: Double = 0.2
        public var dwellSensorProbability: Double = 0.7
        public var likeBase: Double = 0.02
        public var likeAffinity: Double = 0.35
        public var rateProbability: Double = 0.03
        public var shareProbability: Double = 0.01
        public var skipProbability: Double = 0.08
        /// Objects seen per room before moving on (with a venue walk).
        public var objectsPerRoom: CountDistribution = .geometric(mean: 2, minimum: 1)
        public init() {}
    }

    /// A visitor's ground truth, for diagnostics and tests.
    public struct VisitorProfile: Sendable, Hashable, Codable {
        public var id: VisitorID
        /// Facet values (`subject:…`, `maker:…`, `movement:…`, `period:1850`) and their weights.
        public var interests: [String: Double]
        public var visits: Int
    }

    /// The simulator's output.
    public struct Output: Sendable {
        /// Events ordered by visitor, then time.
        public var events: [Event]
        public var visitors: [VisitorProfile]
    }

    public let configuration: Configuration
    let items: [ItemID]
    let itemIndex: [ItemID: Int]
    let facetPostings: [String: [Int32]]
    let itemFacets: [[String]]
    let facetKeysByKind: [[String]]
    let facetKindWeights: [[Double]]
    let prior: [Double]
    let priorTable: AliasTable
    /// Whether each item is on display.
    let displayed: [Bool]
    let displayedItems: [Int32]
    let displayedPriorTable: AliasTable
    let walk: (any VenueWalk)?

    /// Prepares the simulator for a collection.
    /// - Throws: ``RecommendError/invalidData(_:)`` for an empty collection, ``RecommendError/badParameter(name:reason:)``
    ///   for impossible settings.
    public init(items: [Item], concepts: [Concept], agents: [Agent] = [], configuration: Configuration = Configuration(),
                walk: (any VenueWalk)? = nil) throws(RecommendError) {
        guard !items.isEmpty else { throw .invalidData("the simulator needs at least one item") }
        try require(configuration.visitors >= 0, "visitors", "must not be negative")
        try require(configuration.end > configuration.start, "end", "must be after start")
        try require(configuration.closingHour > configuration.openingHour && configuration.openingHour >= 0 && configuration.closingHour <= 24,
                    "opening_hours", "closing must follow opening within a day")
        for (name, p) in [("popular_choice", configuration.popularChoice), ("explore_choice", configuration.exploreChoice),
                          ("single_short_visit_fraction", configuration.singleShortVisitFraction),
                          ("scan_probability", configuration.scanProbability), ("skip_probability", configuration.skipProbability)] {
            try require(p >= 0 && p <= 1, name, "must be a probability between 0 and 1")
        }
        try require(configuration.popularChoice + configuration.exploreChoice <= 1, "popular_choice", "plus explore_choice must not exceed 1")
        try require(configuration.displayedFraction > 0 && configuration.displayedFraction <= 1, "displayed_fraction", "must be in (0, 1]")
        try require(configuration.onSiteShare >= 0 && configuration.onSiteShare <= 1, "on_site_share", "must be a probability")
        try require(configuration.dirichletAlpha > 0, "dirichlet_alpha", "must be positive")
        self.configuration = configuration
        self.walk = walk
        self.items = items.map(\.id)
        itemIndex = Dictionary(items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var broader: [ConceptID: ConceptID] = [:]
        for c in concepts { if let b = c.broader, b != c.id { broader[c.id] = b } }
        var agentMovements: [AgentID: [ConceptID]] = [:]
        for a in agents { agentMovements[a.id] = a.movements }
        var makerCounts: [AgentID: Int] = [:]
        for item in items { for m in Set(item.makers.map(\.agent)) { makerCounts[m, default: 0] += 1 } }

        // 1. Facets.
        var postings: [String: [Int32]] = [:]
        var facetsOfItem: [[String]] = []
        facetsOfItem.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            var facets = Set<String>()
            for s in item.subjects {
                facets.insert("subject:\(s.rawValue)")
                var current = s
                var steps = 0
                while let up = broader[current], steps < 8 {
                    facets.insert("subject:\(up.rawValue)")
                    current = up
                    steps += 1
                }
            }
            for m in item.makers { facets.insert("maker:\(m.agent.rawValue)") }
            var movements = item.movements
            if movements.isEmpty { movements = item.makers.flatMap { agentMovements[$0.agent] ?? [] } }
            for m in movements { facets.insert("movement:\(m.rawValue)") }
            if let date = item.date { facets.insert("period:\(Int((Double(date.midYear) / 25).rounded(.down)) * 25)") }
            let sorted = facets.sorted()
            for f in sorted { postings[f, default: []].append(Int32(index)) }
            facetsOfItem.append(sorted)
        }
        facetPostings = postings
        itemFacets = facetsOfItem
        var byKind: [[String]] = [[], [], [], []]
        var kindWeights: [[Double]] = [[], [], [], []]
        for key in postings.keys.sorted() {
            guard let list = postings[key], list.count >= configuration.minimumFacetSize else { continue }
            let kind = key.hasPrefix("subject:") ? 0 : key.hasPrefix("maker:") ? 1 : key.hasPrefix("movement:") ? 2 : 3
            byKind[kind].append(key)
            kindWeights[kind].append(Double(list.count).squareRoot())
        }
        facetKeysByKind = byKind
        facetKindWeights = kindWeights

        // 2. Fame and the Zipf-like prior.
        var random = SeededRandom(seed: configuration.seed, stream: 0xFA3E)
        var makerFame: [AgentID: Double] = [:]
        for maker in makerCounts.keys.sorted() {
            makerFame[maker] = random.logNormal(mu: 0, sigma: 1) * pow(1 + Double(makerCounts[maker] ?? 0), configuration.productivityFame)
        }
        let fame = items.map { item in
            let maker = item.makers.map { makerFame[$0.agent] ?? 1 }.max() ?? 1
            return maker * random.logNormal(mu: 0, sigma: 1.2)
        }
        let order = fame.indices.sorted { fame[$0] > fame[$1] || (fame[$0] == fame[$1] && $0 < $1) }
        var prior = [Double](repeating: 0, count: items.count)
        for (rank, i) in order.enumerated() { prior[i] = pow(Double(rank) + 10, -configuration.zipfExponent) }
        let total = prior.reduce(0, +)
        self.prior = prior.map { $0 / total }
        // On display: weighted sampling without replacement (exponential keys), weight √prior.
        let shown = min(items.count, max(1, configuration.minimumDisplayed,
                                         Int((Double(items.count) * configuration.displayedFraction).rounded())))
        let normalisedPrior = self.prior
        let keys = normalisedPrior.map { -log(max(random.nextDouble(), .leastNormalMagnitude)) / max($0.squareRoot(), .leastNormalMagnitude) }
        let chosen = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }.prefix(shown).sorted()
        var displayed = [Bool](repeating: false, count: items.count)
        for i in chosen { displayed[i] = true }
        self.displayed = displayed
        displayedItems = chosen.map { Int32($0) }
        do {
            priorTable = try AliasTable(weights: self.prior)
            displayedPriorTable = try AliasTable(weights: chosen.map { normalisedPrior[$0] })
        } catch {
            throw .invalidData("fame prior: \(error.description)")
        }
    }

    /// The fame prior of each item (sums to 1), for diagnostics.
    public var popularityPrior: [Double] { prior }

    /// Runs the simulation.
    public func run() -> Output {
        let n = configuration.visitors
        var perVisitor = [([Event], VisitorProfile)?](repeating: nil, count: n)
        let width = max(6, String(n).count)
        perVisitor.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            Parallel.forEachChunkIndexed(count: n, chunks: min(n, Parallel.processorCount * 4)) { _, range in
                var tables: [String: (list: [Int32], table: AliasTable)] = [:]
                for v in range {
                    let digits = String(v)
                    let id = VisitorID("sim-" + String(repeating: "0", count: max(0, width - digits.count)) + digits)
                    out[v] = simulateVisitor(index: v, id: id, tables: &tables)
                }
            }
        }
        var events: [Event] = []
        var visitors: [VisitorProfile] = []
        for entry in perVisitor {
            guard let (e, profile) = entry else { continue }
            events.append(contentsOf: e)
            visitors.append(profile)
        }
        return Output(events: events, visitors: visitors)
    }

    private func simulateVisitor(index: Int, id: VisitorID, tables: inout [String: (list: [Int32], table: AliasTable)]) -> ([Event], VisitorProfile) {
        let c = configuration
        var random = SeededRandom(seed: c.seed, stream: UInt64(index) &+ 1)
        // 3. Tastes.
        let count = min(c.maxInterests, 1 + random.poisson(mean: c.extraInterestsMean))
        let kindProbabilities = [c.subjectInterest, c.makerInterest, c.movementInterest, c.periodInterest]
        var interests: [String] = []
        var attempts = 0
        while interests.count < count && attempts < 50 {
            attempts += 1
            var weights = kindProbabilities
            for k in 0..<4 where facetKeysByKind[k].isEmpty { weights[k] = 0 }
            guard let kind = pick(weights, &random) else { break }
            guard let value = pick(facetKindWeights[kind], &random) else { continue }
            let key = facetKeysByKind[kind][value]
            if !interests.contains(key) { interests.append(key) }
        }
        let weights = interests.isEmpty ? [] : random.dirichlet([Double](repeating: c.dirichletAlpha, count: interests.count))
        var taste: [String: Double] = [:]
        for (k, w) in zip(interests, weights) { taste[k] = w }

        // 4. Visits.
        let single = random.bernoulli(c.singleShortVisitFraction)
        let visits = single ? 1 : 1 + c.returns.sample(&random)
        let span = c.end.timeIntervalSince(c.start)
        var day = (random.nextDouble() * span / 86_400).rounded(.down)
        var events: [Event] = []
        var seen = Set<Int>()
        var visitsMade = 0
        for visit in 0..<visits {
            if visit > 0 { day += max(1, (random.exponential(mean: c.daysBetweenVisits)).rounded()) }
            if day * 86_400 >= span { break }
            visitsMade += 1
            let length = single ? 1 + (random.bernoulli(0.4) ? 1 : 0) : max(1, c.sessionLength.sample(&random))
            let session = "\(id.rawValue)-v\(visit + 1)"
            let onSite = walk != nil || random.bernoulli(c.onSiteShare)
            let openSeconds = (c.closingHour - c.openingHour) * 3600
            var clock = c.start.timeIntervalSince1970 + day * 86_400 + c.openingHour * 3600 + random.nextDouble() * openSeconds * 0.5
            let closing = c.start.timeIntervalSince1970 + day * 86_400 + c.closingHour * 3600
            var room: RoomVisit? = walk?.entrance(random: &random)
            var leftInRoom = c.objectsPerRoom.sample(&random)
            for _ in 0..<length {
                guard clock < closing else { break }
                var chosen: Int?
                if let walk, var current = room {
                    if leftInRoom <= 0 {
                        guard let next = walk.nextRoom(after: current.room, random: &random) else { break }
                        current = next
                        room = next
                        leftInRoom = c.objectsPerRoom.sample(&random)
                    }
                    chosen = chooseInRoom(current, taste: taste, seen: seen, random: &random)
                    leftInRoom -= 1
                } else {
                    chosen = choose(taste: taste, interests: interests, weights: weights, seen: seen, onSite: onSite,
                                    random: &random, tables: &tables)
                }
                guard let item = chosen else { continue }
                seen.insert(item)
                let affinity = self.affinity(of: item, taste: taste)
                emitEvents(visitor: id, item: item, affinity: affinity, session: session, room: room?.room,
                           clock: &clock, random: &random, into: &events)
            }
        }
        return (events, VisitorProfile(id: id, interests: taste, visits: visitsMade))
    }

    /// Affinity in 0…1: the total weight of the visitor's interests the item has.
    func affinity(of item: Int, taste: [String: Double]) -> Double {
        guard !taste.isEmpty else { return 0 }
        var a = 0.0
        for f in itemFacets[item] { a += taste[f] ?? 0 }
        return min(1, a)
    }

    private func choose(taste: [String: Double], interests: [String], weights: [Double], seen: Set<Int>, onSite: Bool,
                        random: inout SeededRandom, tables: inout [String: (list: [Int32], table: AliasTable)]) -> Int? {
        let c = configuration
        for _ in 0..<6 {
            let u = random.nextDouble()
            var candidate: Int
            if u < c.popularChoice || interests.isEmpty {
                candidate = onSite ? Int(displayedItems[displayedPriorTable.sample(using: &random)]) : priorTable.sample(using: &random)
            } else if u < c.popularChoice + c.exploreChoice {
                candidate = onSite ? Int(displayedItems[random.nextInt(below: displayedItems.count)]) : random.nextInt(below: items.count)
            } else {
                guard let k = pick(weights, &random) else { continue }
                let key = interests[k]
                guard let all = facetPostings[key], !all.isEmpty else { continue }
                // On site, an interest is served by the displayed objects that have it (all of them when none do).
                let cacheKey = onSite ? "onsite|" + key : key
                if tables[cacheKey] == nil {
                    var list = all
                    if onSite {
                        let shown = all.filter { displayed[Int($0)] }
                        if !shown.isEmpty { list = shown }
                    }
                    if let table = try? AliasTable(weights: list.map { pow(prior[Int($0)], c.fameTemperature) }) {
                        tables[cacheKey] = (list, table)
                    }
                }
                guard let entry = tables[cacheKey] else { continue }
                candidate = Int(entry.list[entry.table.sample(using: &random)])
            }
            if !seen.contains(candidate) { return candidate }
        }
        return nil
    }

    private func chooseInRoom(_ room: RoomVisit, taste: [String: Double], seen: Set<Int>, random: inout SeededRandom) -> Int? {
        var candidates: [Int] = []
        var weights: [Double] = []
        for id in room.items {
            guard let i = itemIndex[id], !seen.contains(i) else { continue }
            candidates.append(i)
            weights.append((1 + 5 * affinity(of: i, taste: taste)) * pow(prior[i], configuration.fameTemperature))
        }
        guard let k = pick(weights, &random) else { return nil }
        return candidates[k]
    }


    private func emitEvents(visitor: VisitorID, item: Int, affinity: Double, session: String, room: String?,
                            clock: inout Double, random: inout SeededRandom, into events: inout [Event]) {
        let c = configuration
        let id = items[item]
        func event(_ kind: EventKind, _ value: Double? = nil, at time: Double) -> Event {
            Event(visitor: visitor, item: id, kind: kind, value: value, timestamp: Date(timeIntervalSince1970: time.rounded()),
                  session: session, room: room, device: "app")
        }
        let scanned = random.bernoulli(c.scanProbability)
        events.append(event(scanned ? .scan : .view, at: clock))
        let dwellSeconds = min(3_600, max(1, c.dwell.sample(&random) * (1 + 2 * affinity)))
        let skipping = affinity == 0 && random.bernoulli(c.skipProbability)
        let seconds = skipping ? min(dwellSeconds, 3) : dwellSeconds
        if random.bernoulli(c.dwellSensorProbability) { events.append(event(.dwell, (seconds * 10).rounded() / 10, at: clock + 1)) }
        if skipping {
            events.append(event(.skip, at: clock + seconds))
        } else {
            if random.bernoulli(c.likeBase + c.likeAffinity * affinity) { events.append(event(.like, at: clock + seconds)) }
            if random.bernoulli(c.rateProbability) {
                let rating = min(5, max(1, (2.5 + 2.5 * affinity + 0.7 * random.normal()).rounded()))
                events.append(event(.rate, rating, at: clock + seconds + 1))
            }
            if random.bernoulli(c.shareProbability * (1 + 2 * affinity)) { events.append(event(.share, at: clock + seconds + 2)) }
        }
        clock += seconds + c.walk.sample(&random)
    }

    /// An index drawn with probability proportional to `weights`, nil when they are all zero.
    private func pick(_ weights: [Double], _ random: inout SeededRandom) -> Int? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        var u = random.nextDouble() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return i }
        }
        return weights.lastIndex { $0 > 0 }
    }
}
