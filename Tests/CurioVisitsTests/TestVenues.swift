import CurioCore
import CurioMath
import Foundation
@testable import CurioVisits

/// Hand-made venues with known answers.
enum TestVenues {
    /// 2025-06-04 is a Wednesday.
    static func at(_ time: String, date: String = "2025-06-04") -> Date {
        ISO8601DateFormatter().date(from: "\(date)T\(time):00Z")!
    }

    /// Ground floor: A – B – C – D in a line, 60 s apart (A is the entrance).
    /// First floor: E above B by stairs (40 s) and above D by lift (90 s); F, a mezzanine with steps, next to E (20 s).
    /// Items: a1@A, b1@B, c1 c2@C, d1@D, e1@E, f1@F. Open 10:00–18:00, closed on Mondays.
    static func line() -> Venue {
        var hours = OpeningHours.daily(TimeOfDay(hour: 10), TimeOfDay(hour: 18))
        hours.weekly[.monday] = nil
        return Venue(
            id: "line", name: "Line Gallery", timeZone: "UTC",
            floors: [Floor(id: "G", name: "Ground", level: 0), Floor(id: "1", name: "First", level: 1)],
            rooms: [
                Room(id: "A", name: "Room A", floor: "G", capacity: 20),
                Room(id: "B", name: "Room B", floor: "G", capacity: 20),
                Room(id: "C", name: "Room C", floor: "G", capacity: 20),
                Room(id: "D", name: "Room D", floor: "G", capacity: 20),
                Room(id: "E", name: "Room E", floor: "1", capacity: 20),
                Room(id: "F", name: "Mezzanine F", floor: "1", capacity: 10, isStepFree: false),
            ],
            connections: [
                Connection(from: "A", to: "B", seconds: 60),
                Connection(from: "B", to: "C", seconds: 60),
                Connection(from: "C", to: "D", seconds: 60),
                Connection(from: "B", to: "E", seconds: 40, kind: .stairs),
                Connection(from: "D", to: "E", seconds: 90, kind: .lift),
                Connection(from: "E", to: "F", seconds: 20),
            ],
            entrances: ["A"], openingHours: hours,
            placements: [
                Placement(item: "a1", room: "A"), Placement(item: "b1", room: "B"), Placement(item: "c1", room: "C"),
                Placement(item: "c2", room: "C"), Placement(item: "d1", room: "D"), Placement(item: "e1", room: "E"),
                Placement(item: "f1", room: "F"),
            ])
    }

    /// A planner with no catalogue (every item is looked at for the default 50 s) and the given weights.
    static func planner(_ venue: Venue, restarts: Int = 6) -> TourPlanner {
        TourPlanner(venue: venue, catalog: VisitCatalog(), restarts: restarts)
    }

    /// A random connected venue with `rooms` rooms, some not step-free, some stairs, optional closures, and
    /// `items` placed items; deterministic for a seed.
    static func random(seed: UInt64, rooms: Int, items: Int, closures: Bool = true) -> Venue {
        var rng = SeededRandom(seed: seed)
        var roomList: [Room] = []
        for i in 0..<rooms {
            roomList.append(Room(id: "R\(i)", name: "Room \(i)", floor: i < rooms / 2 ? "G" : "1",
                                 capacity: 10 + rng.nextInt(below: 30), isStepFree: i == 0 || rng.nextDouble() > 0.15))
        }
        var connections: [Connection] = []
        for i in 1..<rooms {
            let j = rng.nextInt(below: i)
            let stairs = roomList[i].floor != roomList[j].floor && rng.nextDouble() < 0.5
            connections.append(Connection(from: "R\(j)", to: "R\(i)", seconds: Double(15 + rng.nextInt(below: 90)),
                                          kind: stairs ? .stairs : (roomList[i].floor != roomList[j].floor ? .lift : .door)))
        }
        for _ in 0..<(rooms / 3) {
            let a = rng.nextInt(below: rooms), b = rng.nextInt(below: rooms)
            if a != b, !connections.contains(where: { $0.links("R\(a)", "R\(b)") }) {
                connections.append(Connection(from: "R\(a)", to: "R\(b)", seconds: Double(20 + rng.nextInt(below: 60)),
                                              isOneWay: rng.nextDouble() < 0.1))
            }
        }
        var closureList: [RoomClosure] = []
        if closures {
            for i in 1..<rooms where rng.nextDouble() < 0.2 {
                let from = 10 * 60 + rng.nextInt(below: 4 * 60)
                closureList.append(RoomClosure(room: "R\(i)", from: TimeOfDay(minutes: from),
                                               to: TimeOfDay(minutes: from + 30 + rng.nextInt(below: 90))))
            }
        }
        var placements: [Placement] = []
        for k in 0..<items {
            placements.append(Placement(item: ItemID("i\(k)"), room: "R\(rng.nextInt(below: rooms))"))
        }
        var venue = Venue(id: "random-\(seed)", name: "Random", timeZone: "UTC",
                          floors: [Floor(id: "G", name: "Ground", level: 0), Floor(id: "1", name: "First", level: 1)],
                          rooms: roomList, connections: connections, entrances: ["R0"],
                          openingHours: .daily(TimeOfDay(hour: 10), TimeOfDay(hour: 18)), closures: closureList,
                          placements: placements)
        if rng.nextDouble() < 0.2 { try? venue.close(room: "R\(1 + rng.nextInt(below: rooms - 1))", reason: "rehang") }
        return venue
    }

    /// Catalogue items with makers and dates so coherence, chronology and variety matter.
    static func randomCatalog(seed: UInt64, items: Int) -> VisitCatalog {
        var rng = SeededRandom(seed: seed ^ 0xABCD)
        let subjects = (0..<6).map { Concept(id: ConceptID("s\($0)"), scheme: .subject, label: "subject \($0)", level: 2) }
        let list = (0..<items).map { k -> Item in
            let maker = rng.nextInt(below: max(2, items / 3))
            let year = 1700 + rng.nextInt(below: 300)
            return Item(id: ItemID("i\(k)"), source: "test", title: "Item \(k)",
                        makers: [MakerCredit(agent: AgentID("m\(maker)"), name: "Maker \(maker)")],
                        date: DateRange(text: "\(year)", startYear: year, endYear: year),
                        classification: ["painting", "on paper, unique", "sculpture"][rng.nextInt(below: 3)],
                        subjects: [subjects[rng.nextInt(below: 6)].id])
        }
        return VisitCatalog(items: list, concepts: subjects)
    }
}
