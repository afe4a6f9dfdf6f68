import CurioCore
import CurioMath
import CurioVisits
import Foundation

/// Random but realistic-shaped venues for planner benchmarks: a connected room graph over two floors with stairs
/// and lifts, some rooms with steps, some lunchtime closures, and catalogue items with makers and dates.
enum SyntheticVenues {
    static func venue(seed: UInt64, rooms: Int, items: Int) -> Venue {
        var rng = SeededRandom(seed: seed)
        var roomList: [Room] = []
        for i in 0..<rooms {
            roomList.append(Room(id: "R\(i)", name: "Room \(i)", floor: i < rooms / 2 ? "G" : "1",
                                 capacity: 10 + rng.nextInt(below: 30), isStepFree: i == 0 || rng.nextDouble() > 0.15))
        }
        var connections: [Connection] = []
        for i in 1..<rooms {
            let j = rng.nextInt(below: i)
            let crossing = roomList[i].floor != roomList[j].floor
            let stairs = crossing && rng.nextDouble() < 0.5
            connections.append(Connection(from: "R\(j)", to: "R\(i)", seconds: Double(15 + rng.nextInt(below: 90)),
                                          kind: stairs ? .stairs : (crossing ? .lift : .door)))
        }
        for _ in 0..<(rooms / 3) {
            let a = rng.nextInt(below: rooms), b = rng.nextInt(below: rooms)
            if a != b, !connections.contains(where: { $0.links("R\(a)", "R\(b)") }) {
                connections.append(Connection(from: "R\(a)", to: "R\(b)", seconds: Double(20 + rng.nextInt(below: 60))))
            }
        }
        var closures: [RoomClosure] = []
        for i in 1..<rooms where rng.nextDouble() < 0.2 {
            let from = 10 * 60 + rng.nextInt(below: 4 * 60)
            closures.append(RoomClosure(room: "R\(i)", from: TimeOfDay(minutes: from),
                                        to: TimeOfDay(minutes: from + 30 + rng.nextInt(below: 90))))
        }
        let placements = (0..<items).map { Placement(item: ItemID("i\($0)"), room: "R\(rng.nextInt(below: rooms))") }
        return Venue(id: "synthetic-\(seed)", name: "Synthetic", timeZone: "UTC",
                     floors: [Floor(id: "G", name: "Ground", level: 0), Floor(id: "1", name: "First", level: 1)],
                     rooms: roomList, connections: connections, entrances: ["R0"],
                     openingHours: .daily(TimeOfDay(hour: 10), TimeOfDay(hour: 18)), closures: closures,
                     placements: placements)
    }

    static func catalog(seed: UInt64, items: Int) -> VisitCatalog {
        var rng = SeededRandom(seed: seed ^ 0xABCD)
        let subjects = (0..<12).map { Concept(id: ConceptID("s\($0)"), scheme: .subject, label: "subject \($0)", level: 2) }
        let list = (0..<items).map { k -> Item in
            let maker = rng.nextInt(below: max(2, items / 4))
            let year = 1600 + rng.nextInt(below: 420)
            return Item(id: ItemID("i\(k)"), source: "bench", title: "Item \(k)",
                        makers: [MakerCredit(agent: AgentID("m\(maker)"), name: "Maker \(maker)")],
                        date: DateRange(text: "\(year)", startYear: year, endYear: year),
                        classification: ["painting", "on paper, unique", "sculpture"][rng.nextInt(below: 3)],
                        subjects: [subjects[rng.nextInt(below: 12)].id, subjects[rng.nextInt(below: 12)].id])
        }
        return VisitCatalog(items: list, concepts: subjects)
    }

    static func request(seed: UInt64, items: Int, minutes: Double, candidates: Int? = nil) -> TourRequest {
        var rng = SeededRandom(seed: seed ^ 0x5EED)
        var ids = (0..<items).map { ItemID("i\($0)") }
        rng.shuffle(&ids)
        let chosen = ids.prefix(candidates ?? items)
        return TourRequest(candidates: chosen.map { TourCandidate(item: $0, interest: pow(rng.nextDouble(), 2)) },
                           startRoom: "R0", endRoom: "R0",
                           startTime: ISO8601DateFormatter().date(from: "2025-06-04T11:00:00Z")!,
                           budgetSeconds: minutes * 60, weights: TourWeights.chronological, seed: seed)
    }
}
