import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioVisits

@Suite struct TourPlannerTests {
    static let plain = TourWeights(interest: 1, coherence: 0, chronology: 0, variety: 0)

    static func request(_ interests: [String: Double], start: String = "A", end: String? = "A",
                        at time: String = "11:00", date: String = "2025-06-04", minutes: Double,
                        stepFree: Bool = false, weights: TourWeights = plain, maxStops: Int? = nil) -> TourRequest {
        TourRequest(candidates: interests.sorted { $0.key < $1.key }.map { TourCandidate(item: ItemID($0.key), interest: $0.value) },
                    startRoom: start, endRoom: end, startTime: TestVenues.at(time, date: date),
                    budgetSeconds: minutes * 60, stepFree: stepFree, maxStops: maxStops, weights: weights)
    }

    static func infeasibleReason(_ body: () throws -> Tour) -> String? {
        do {
            _ = try body()
            return nil
        } catch let VisitError.infeasible(reason) {
            return reason
        } catch {
            return "unexpected: \(error)"
        }
    }

    @Test func findsTheKnownBestTourOnTheLineVenue() throws {
        // 8 minutes from A and back: D (1.0) is worth the 6-minute round trip and leaves time for exactly one more
        // 50-second look on the way: B (0.3) beats C (0.2). {a1, b1, c1, c2} is worth only 0.8.
        let venue = TestVenues.line()
        let planner = TestVenues.planner(venue)
        let req = Self.request(["a1": 0.1, "b1": 0.3, "c1": 0.2, "c2": 0.2, "d1": 1.0], minutes: 8)
        let tour = try planner.plan(req)
        #expect(Set(tour.stops.map(\.item)) == ["b1", "d1"])
        #expect(abs(tour.utility.total - 1.3) < 1e-9)
        #expect(tour.totalSeconds == 460)
        #expect(tour.walkingSeconds == 360 && tour.viewingSeconds == 100 && tour.waitingSeconds == 0)
        #expect(TourValidator(venue: venue).violations(tour) == [])
        let exact = try ExactTourSolver(planner: planner).solve(req)
        #expect(abs(exact.utility.total - 1.3) < 1e-9)
    }

    @Test func stepFreeToursTakeTheLiftAndSkipTheMezzanine() throws {
        let venue = TestVenues.line()
        let planner = TestVenues.planner(venue)
        let tour = try planner.plan(Self.request(["e1": 1, "f1": 1, "b1": 0.1], minutes: 20, stepFree: true))
        #expect(tour.stops.map(\.item).contains("e1"))
        #expect(!tour.stops.map(\.item).contains("f1"))
        let toE = try #require(tour.stops.first { $0.item == "e1" })
        #expect(toE.walk.route.suffix(2) == ["D", "E"])
        #expect(TourValidator(venue: venue).violations(tour) == [])
        // Without the need, the stairs are quicker and the mezzanine is fine.
        let free = try planner.plan(Self.request(["e1": 1, "f1": 1, "b1": 0.1], minutes: 20))
        #expect(Set(free.stops.map(\.item)).isSuperset(of: ["e1", "f1"]))
    }

    @Test func waitsForARoomThatReopensAndNeverLooksWhileItIsClosed() throws {
        var venue = TestVenues.line()
        try venue.addClosure(RoomClosure(room: "D", from: TimeOfDay(hour: 12), to: TimeOfDay(hour: 13)))
        let planner = TestVenues.planner(venue)
        let tour = try planner.plan(Self.request(["d1": 1], at: "11:58", minutes: 90))
        let stop = try #require(tour.stops.first)
        #expect(stop.start == TestVenues.at("13:00"))
        #expect(tour.waitingSeconds > 3400)
        #expect(TourValidator(venue: venue).violations(tour) == [])
        let reason = Self.infeasibleReason { try planner.plan(Self.request(["d1": 1], at: "11:58", minutes: 30)) }
        #expect(reason?.contains("closed at those times") == true)
    }

    @Test func routesAvoidRoomsThatCloseDuringTheTour() throws {
        var venue = TestVenues.line()
        try venue.addClosure(RoomClosure(room: "C", from: TimeOfDay(hour: 12), to: TimeOfDay(hour: 13)))
        let tour = try TestVenues.planner(venue).plan(Self.request(["d1": 1], at: "11:00", minutes: 180))
        #expect(tour.stops[0].walk.route == ["A", "B", "E", "D"])
        #expect(TourValidator(venue: venue).violations(tour) == [])
    }

    @Test func infeasibleRequestsAreExplainedNotAnsweredWithAnEmptyTour() throws {
        var venue = TestVenues.line()
        try venue.addRoom(Room(id: "Z", name: "Island", floor: "G"))
        try venue.place("z1", in: "Z")
        let planner = TestVenues.planner(venue)
        let all = ["a1": 1.0, "b1": 1, "d1": 1]

        let tiny = Self.infeasibleReason { try planner.plan(Self.request(["d1": 1], minutes: 2)) }
        #expect(tiny?.contains("none of the 1 candidate works fits: 1 too far for the time available") == true)
        #expect(tiny?.contains("the quickest stop (d1 in Room D) needs 7 min") == true)

        let monday = Self.infeasibleReason { try planner.plan(Self.request(all, date: "2025-06-02", minutes: 60)) }
        #expect(monday == "the building is closed on Mondays.")

        let late = Self.infeasibleReason { try planner.plan(Self.request(all, at: "18:30", minutes: 60)) }
        #expect(late?.contains("closes at 18:00") == true)

        let island = Self.infeasibleReason { try planner.plan(Self.request(all, end: "Z", minutes: 60)) }
        #expect(island == "the end room Island cannot be reached from Room A.")

        let stairs = Self.infeasibleReason { try planner.plan(Self.request(all, end: "F", minutes: 60, stepFree: true)) }
        #expect(stairs == "there is no step-free route from Room A to Mezzanine F.")

        let walkOnly = Self.infeasibleReason { try planner.plan(Self.request(all, end: "D", minutes: 2)) }
        #expect(walkOnly == "just walking from Room A to Room D takes 3 min but only 2 min are available.")

        let nothing = Self.infeasibleReason { try planner.plan(Self.request(["x": 1, "y": 1, "z1": 1], minutes: 60)) }
        #expect(nothing?.hasPrefix("none of the 3 candidate works fits: 2 not on display, 1 in rooms that cannot be reached") == true)

        let empty = Self.infeasibleReason { try planner.plan(Self.request([:], minutes: 60)) }
        #expect(empty == "no candidate works were given to choose from.")

        #expect(throws: VisitError.self) { try planner.plan(Self.request(all, minutes: 0)) }
        #expect(throws: VisitError.unknownRoom(id: "Q")) { try planner.plan(Self.request(all, start: "Q", minutes: 60)) }
    }

    @Test func startsAtOpeningTimeAndStopsAtClosingTime() throws {
        let venue = TestVenues.line()
        let planner = TestVenues.planner(venue)
        let early = try planner.plan(Self.request(["b1": 1], at: "09:00", minutes: 30))
        #expect(early.startTime == TestVenues.at("10:00"))
        #expect(early.notes.contains { $0.contains("opens at 10:00") })
        let late = try planner.plan(Self.request(["a1": 1, "b1": 1, "c1": 1, "d1": 1], at: "17:55", minutes: 60))
        #expect(late.deadline == TestVenues.at("18:00"))
        #expect(late.endTime <= TestVenues.at("18:00"))
        #expect(late.notes.contains { $0.contains("closes at 18:00") })
        #expect(TourValidator(venue: venue).violations(late) == [])
    }

    @Test func respectsTheMaximumNumberOfStops() throws {
        let tour = try TestVenues.planner(TestVenues.line())
            .plan(Self.request(["a1": 1, "b1": 1, "c1": 1, "c2": 1, "d1": 1], minutes: 60, maxStops: 2))
        #expect(tour.stops.count == 2)
    }

    @Test func chronologicalBonusOrdersStopsByDate() throws {
        let items = [
            Item(id: "c1", source: "t", title: "Later", date: DateRange(text: "1900", startYear: 1900, endYear: 1900)),
            Item(id: "c2", source: "t", title: "Earlier", date: DateRange(text: "1800", startYear: 1800, endYear: 1800)),
        ]
        let planner = TourPlanner(venue: TestVenues.line(), catalog: VisitCatalog(items: items))
        let weights = TourWeights(interest: 1, coherence: 0, chronology: 0.5, variety: 0)
        let tour = try planner.plan(Self.request(["c1": 1, "c2": 1], minutes: 20, weights: weights))
        #expect(tour.stops.map(\.item) == ["c2", "c1"])
        #expect(tour.utility.chronology == 0.5)
        let transition = try #require(tour.stops[1].transition)
        #expect(transition.evidence.contains(.chronologicalStep(fromYear: 1800, toYear: 1900)))
        #expect(transition.sentence == "100 years on, from ‘Earlier’ (1800) to ‘Later’ (1900).")
    }

    @Test func varietyPenaltyAvoidsAnotherWorkByTheSameMaker() throws {
        let maker = MakerCredit(agent: "turner", name: "Joseph Mallord William Turner")
        let items = [
            Item(id: "c1", source: "t", title: "Storm", makers: [maker]),
            Item(id: "c2", source: "t", title: "Calm", makers: [maker]),
        ]
        let planner = TourPlanner(venue: TestVenues.line(), catalog: VisitCatalog(items: items))
        let penalised = try planner.plan(Self.request(["c1": 1, "c2": 0.4], minutes: 20,
                                                      weights: TourWeights(interest: 1, coherence: 0, variety: 0.5)))
        #expect(penalised.stops.map(\.item) == ["c1"])
        let free = try planner.plan(Self.request(["c1": 1, "c2": 0.4], minutes: 20,
                                                 weights: TourWeights(interest: 1, coherence: 0.3, variety: 0)))
        #expect(Set(free.stops.map(\.item)) == ["c1", "c2"])
        let link = try #require(free.stops[1].transition)
        #expect(link.evidence.first == .sameMaker(name: "Joseph Mallord William Turner"))
        #expect(link.sentence.hasPrefix("More Turner: from ‘"))
    }

    @Test func groupPreferencesShiftWhatATourIncludes() throws {
        let people = Concept(id: "people", scheme: .subject, label: "people", level: 0)
        let nudes = Concept(id: "nudes", scheme: .subject, label: "nudes", broader: "people", level: 1)
        let animals = Concept(id: "animals", scheme: .subject, label: "animals: mammals", level: 1)
        let dog = Concept(id: "dog", scheme: .subject, label: "dog", broader: "animals", level: 2)
        let items = [Item(id: "c1", source: "t", title: "Bather", alternateTitles: ["fr": "Baigneuse"], subjects: ["nudes"]),
                     Item(id: "c2", source: "t", title: "Dog", subjects: ["dog"])]
        let planner = TourPlanner(venue: TestVenues.line(), catalog: VisitCatalog(items: items, concepts: [people, nudes, animals, dog]))
        // Five minutes from A: room C and back leaves time to look at one of its two works.
        var request = Self.request(["c1": 1, "c2": 0.9], minutes: 5)
        request.language = "fr"
        let adults = try planner.plan(request)
        #expect(adults.stops.map(\.item) == ["c1"])
        #expect(adults.stops.first?.title == "Baigneuse")
        request.group = .family
        let family = try planner.plan(request)
        #expect(family.stops.map(\.item) == ["c2"])
        #expect(family.stops.first?.viewingSeconds == 35)
    }

    @Test func narratorLinksRelatedSubjectsAcrossMakers() {
        let weather = Concept(id: "weather", scheme: .subject, label: "weather", broader: "nature", level: 1)
        let nature = Concept(id: "nature", scheme: .subject, label: "nature", level: 0)
        let cloud = Concept(id: "cloud", scheme: .subject, label: "clouds", broader: "weather", level: 2)
        let storm = Concept(id: "storm", scheme: .subject, label: "storms", broader: "weather", level: 2)
        let items = [
            Item(id: "N1", source: "t", title: "Cloud Study", makers: [MakerCredit(agent: "c", name: "John Constable")],
                 date: DateRange(text: "1821", startYear: 1821, endYear: 1821), subjects: ["cloud"]),
            Item(id: "N2", source: "t", title: "Snow Storm", makers: [MakerCredit(agent: "t", name: "Joseph Mallord William Turner")],
                 date: DateRange(text: "1842", startYear: 1842, endYear: 1842), subjects: ["storm"]),
        ]
        let narrator = MetadataTransitionNarrator(catalog: VisitCatalog(items: items, concepts: [nature, weather, cloud, storm]))
        let t = narrator.transition(from: "N1", to: "N2", similarity: 0.2)
        #expect(t.sentence == "From Constable’s clouds to Turner’s storms: two views of weather.")
        #expect(t.evidence.contains(.relatedSubjects(broader: "weather", from: "clouds", to: "storms")))
        #expect(t.evidence.contains(.chronologicalStep(fromYear: 1821, toYear: 1842)))
    }

    @Test func everyPlannedTourOnRandomInstancesIsFeasible() throws {
        var planned = 0, explained = 0
        for seed in UInt64(1)...40 {
            var rng = SeededRandom(seed: seed * 7919)
            let rooms = 5 + rng.nextInt(below: 10), count = 8 + rng.nextInt(below: 30)
            let venue = TestVenues.random(seed: seed, rooms: rooms, items: count)
            let catalog = TestVenues.randomCatalog(seed: seed, items: count)
            let planner = TourPlanner(venue: venue, catalog: catalog, restarts: 2)
            let candidates = (0..<count).map { TourCandidate(item: ItemID("i\($0)"), interest: rng.nextDouble()) }
            let start = "R\(rng.nextInt(below: rooms))"
            let request = TourRequest(candidates: candidates, startRoom: start,
                                      endRoom: rng.nextDouble() < 0.7 ? "R0" : nil,
                                      startTime: TestVenues.at(["10:00", "11:30", "13:00", "16:45"][rng.nextInt(below: 4)]),
                                      budgetSeconds: Double(3 + rng.nextInt(below: 60)) * 60,
                                      walkingSpeed: [0.6, 1, 1.3][rng.nextInt(below: 3)], stepFree: rng.nextDouble() < 0.3,
                                      group: GroupType.allCases[rng.nextInt(below: 3)],
                                      maxStops: rng.nextDouble() < 0.3 ? 1 + rng.nextInt(below: 5) : nil,
                                      weights: TourWeights.chronological, seed: seed)
            do {
                let tour = try planner.plan(request)
                #expect(!tour.stops.isEmpty)
                let violations = TourValidator(venue: venue).violations(tour)
                #expect(violations == [], "seed \(seed): \(violations)")
                planned += 1
            } catch let VisitError.infeasible(reason) {
                #expect(!reason.isEmpty)
                explained += 1
            }
        }
        #expect(planned > 25)
        #expect(planned + explained == 40)
    }

    /// Best utility over every ordering of every subset, by brute force.
    static func bruteForce(_ inst: TourInstance) -> Double {
        var best = -Double.infinity
        func extend(_ seq: [Int], _ used: Set<Int>) {
            guard inst.isFeasible(seq) else { return }
            if !seq.isEmpty { best = max(best, inst.utility(seq)) }
            for c in 0..<inst.count where !used.contains(c) { extend(seq + [c], used.union([c])) }
        }
        extend([], [])
        return best
    }

    @Test func exactSolverMatchesBruteForceAndBoundsTheHeuristic() throws {
        var ratios: [Double] = []
        for seed in UInt64(100)...130 {
            var rng = SeededRandom(seed: seed)
            let rooms = 4 + rng.nextInt(below: 5)
            let count = 5 + rng.nextInt(below: 2)
            let venue = TestVenues.random(seed: seed, rooms: rooms, items: count)
            let catalog = TestVenues.randomCatalog(seed: seed, items: count)
            let planner = TourPlanner(venue: venue, catalog: catalog, restarts: 3)
            let request = TourRequest(candidates: (0..<count).map { TourCandidate(item: ItemID("i\($0)"), interest: rng.nextDouble()) },
                                      startRoom: "R0", endRoom: "R0", startTime: TestVenues.at("11:00"),
                                      budgetSeconds: Double(4 + rng.nextInt(below: 12)) * 60, weights: TourWeights.chronological,
                                      seed: seed)
            guard let inst = try? planner.compile(request) else { continue }
            let exactSeq = try ExactTourSolver.optimalSequence(inst)
            let brute = Self.bruteForce(inst)
            #expect(abs(inst.utility(exactSeq) - brute) < 1e-9, "seed \(seed)")
            #expect(inst.isFeasible(exactSeq))
            let heuristic = try planner.plan(request)
            #expect(heuristic.utility.total <= brute + 1e-9)
            ratios.append(heuristic.utility.total / brute)
        }
        #expect(ratios.count > 15)
        #expect(ratios.reduce(0, +) / Double(ratios.count) > 0.95)
    }

    @Test func heuristicIsCloseToOptimalOnSmallInstances() throws {
        var ratios: [Double] = []
        for seed in UInt64(200)...215 {
            var rng = SeededRandom(seed: seed)
            let count = 9
            let venue = TestVenues.random(seed: seed, rooms: 6, items: count)
            let planner = TourPlanner(venue: venue, catalog: TestVenues.randomCatalog(seed: seed, items: count))
            let request = TourRequest(candidates: (0..<count).map { TourCandidate(item: ItemID("i\($0)"), interest: rng.nextDouble()) },
                                      startRoom: "R0", endRoom: "R0", startTime: TestVenues.at("11:00"),
                                      budgetSeconds: Double(5 + rng.nextInt(below: 10)) * 60, seed: seed)
            guard let exact = try? ExactTourSolver(planner: planner).solve(request) else { continue }
            let tour = try planner.plan(request)
            #expect(TourValidator(venue: venue).violations(exact) == [])
            #expect(tour.utility.total <= exact.utility.total + 1e-9)
            ratios.append(tour.utility.total / exact.utility.total)
        }
        #expect(ratios.count >= 10)
        #expect(ratios.min() ?? 0 > 0.85)
    }

    @Test func sameRequestAndSeedGiveTheSameTour() throws {
        let venue = TestVenues.random(seed: 5, rooms: 12, items: 60)
        let planner = TourPlanner(venue: venue, catalog: TestVenues.randomCatalog(seed: 5, items: 60))
        var rng = SeededRandom(seed: 9)
        let request = TourRequest(candidates: (0..<60).map { TourCandidate(item: ItemID("i\($0)"), interest: rng.nextDouble()) },
                                  startRoom: "R0", endRoom: "R0", startTime: TestVenues.at("11:00"), budgetSeconds: 1800)
        let a = try planner.plan(request, id: "t"), b = try planner.plan(request, id: "t")
        #expect(a == b)
    }

    @Test func validatorCatchesBrokenTours() throws {
        let venue = TestVenues.line()
        let tour = try TestVenues.planner(venue).plan(Self.request(["b1": 1, "d1": 1], minutes: 10))
        let validator = TourValidator(venue: venue)
        var teleport = tour
        teleport.stops[0].walk.route = ["A", "C"]
        #expect(!validator.violations(teleport).isEmpty)
        var overBudget = tour
        overBudget.endTime = overBudget.deadline.addingTimeInterval(60)
        #expect(validator.violations(overBudget).contains { $0.contains("after its deadline") })
        var wrongRoom = tour
        wrongRoom.stops[0].room = "C"
        #expect(!validator.violations(wrongRoom).isEmpty)
        var repeated = tour
        repeated.stops.append(repeated.stops[0])
        #expect(validator.violations(repeated).contains { $0.contains("repeats an item") })
        var closedVenue = venue
        try closedVenue.addClosure(RoomClosure(room: "D", reason: "rehang"))
        #expect(TourValidator(venue: closedVenue).violations(tour).contains { $0.contains("room D is not open") })
    }
}
