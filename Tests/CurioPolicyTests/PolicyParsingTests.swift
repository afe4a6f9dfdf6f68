import CurioCore
import Foundation
import Testing
@testable import CurioPolicy

@Suite("Reading and validating policy files")
struct PolicyParsingTests {
    @Test func aFullPolicyParses() throws {
        let json = """
        {"name": "default", "note": "breadth first", "popularity_correction": 0.3, "diversity": 0.2, "max_per_maker": 2,
         "calibration": {"attribute": "century", "strength": 0.3},
         "exposure": {"attribute": "maker_gender", "targets": {"Female": {"min": 0.4}}, "tolerance": 0.02},
         "rules": [
           {"type": "pin", "item": "N01234", "slot": 1},
           {"type": "ban", "group": {"attribute": "maker", "value": "tate:artist:558"}},
           {"type": "boost", "items": ["A1", "A2"], "factor": 1.5},
           {"type": "require_open_licence"},
           {"type": "campaign", "name": "Winter show", "from": "2026-11-01", "to": "2027-01-31",
            "group": {"attribute": "movement", "value": "tate:movement:363"}, "factor": 2, "slot": 3}
         ]}
        """
        let p = try Policy.parse(Data(json.utf8), source: "test")
        #expect(p.name == "default")
        #expect(p.maxPerMaker == 2)
        #expect(p.exposure?.targets["Female"]?.min == 0.4)
        #expect(p.rules.count == 5)
        #expect(p.rules.first == .pin(item: "N01234", slot: 1))
    }

    @Test("bad policies are rejected with the field named", arguments: [
        (#"{"exposure": {"attribute": "maker_shoe_size", "targets": {"x": 0.2}}}"#, "exposure.attribute"),
        (#"{"exposure": {"attribute": "maker_gender", "targets": {"Female": {"min": 0.7}, "Male": {"min": 0.5}}}}"#, "exposure.targets"),
        (#"{"exposure": {"attribute": "maker_gender", "targets": {"Female": {"min": 0.6, "max": 0.4}}}}"#, "exposure.targets.Female.min"),
        (#"{"rules": [{"type": "pin", "item": "A", "slot": 1}, {"type": "pin", "item": "B", "slot": 1}]}"#, "rules[0]"),
        (#"{"rules": [{"type": "ban", "item": "A"}, {"type": "pin", "item": "A", "slot": 2}]}"#, "rules[0]"),
        (#"{"rules": [{"type": "ban", "group": {"attribute": "maker_gender", "value": "Female"}}], "exposure": {"attribute": "maker_gender", "targets": {"Female": 0.4}}}"#, "rules[0]"),
        (#"{"rules": [{"type": "teleport"}]}"#, "rules[0].type"),
        (#"{"rules": [{"type": "pin", "item": "A", "slot": 0}]}"#, "rules[0].slot"),
        (#"{"rules": [{"type": "boost", "item": "A", "factor": -1}]}"#, "rules[0].factor"),
        (#"{"rules": [{"type": "campaign", "from": "2027-01-01", "to": "2026-01-01", "item": "A"}]}"#, "rules[0].to"),
        (#"{"diversity": 3}"#, "diversity"),
        (#"{"max_per_maker": 0}"#, "max_per_maker"),
        (#"{"diversty": 0.2}"#, "diversty"),
        (#"{"popularity_correction": true}"#, "popularity_correction"),
        (#"{"max_maker_share": 0}"#, "max_maker_share"),
        (#"{"max_maker_share": 1.5}"#, "max_maker_share"),
        (#"{"max_maker_share": {"max": 0.2, "ceiling": 3}}"#, "max_maker_share.ceiling"),
        (#"{"max_maker_share": {"tolerance": 0.1}}"#, "max_maker_share.max"),
        (#"{"exposure": {"attribute": "maker_gender", "targets": {"Female": 0.4}, "pricing": -1}}"#, "exposure.pricing"),
    ])
    func rejects(json: String, field: String) {
        do {
            _ = try Policy.parse(Data(json.utf8), source: "test")
            Issue.record("accepted a bad policy: \(json)")
        } catch let error as PolicyError {
            #expect(error.description.contains(field), "\(error) should name \(field)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func makerCeilingsAndExposurePricesParseInBothForms() throws {
        let short = try Policy.parse(Data(#"{"max_maker_share": 0.25}"#.utf8), source: "test")
        #expect(short.makerShare == Policy.MakerShare(max: 0.25))
        let long = try Policy.parse(Data(#"{"max_maker_share": {"max": 0.3, "tolerance": 0.05, "pricing": 0.5}, "exposure": {"attribute": "maker_gender", "targets": {"Female": 0.3}, "pricing": 0}}"#.utf8), source: "test")
        #expect(long.makerShare == Policy.MakerShare(max: 0.3, tolerance: 0.05, pricing: 0.5))
        #expect(long.exposure?.pricing == 0)
        #expect(try Policy.parse(Data(#"{"exposure": {"attribute": "maker_gender", "targets": {"Female": 0.3}}}"#.utf8), source: "test")
            .exposure?.pricing == Policy.ExposureTargets.defaultPricing)
    }

    @Test func notJSONIsMalformed() {
        #expect(throws: PolicyError.self) { try Policy.parse(Data("{ nope".utf8), source: "x.json") }
        #expect(throws: PolicyError.self) { try Policy.parse(Data("[1,2]".utf8), source: "x.json") }
    }

    @Test func aRejectedPolicyNeverReplacesTheActiveOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curio-policy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = try PolicyRegistry(directory: dir)
        try registry.activate(Data(#"{"max_per_maker": 2}"#.utf8), name: "default", source: "PUT")
        #expect(throws: PolicyError.self) {
            try registry.activate(Data(#"{"max_per_maker": -5}"#.utf8), name: "default", source: "PUT")
        }
        #expect(registry.policy(named: "default")?.maxPerMaker == 2)
        #expect(registry.policy(named: "default")?.version == 1)
        try registry.activate(Data(#"{"max_per_maker": 3}"#.utf8), name: "default", source: "PUT")
        // A fresh registry over the same folder comes back with the newest valid version.
        let reopened = try PolicyRegistry(directory: dir)
        #expect(reopened.policy(named: "default")?.maxPerMaker == 3)
        #expect(reopened.policy(named: "default")?.version == 2)
    }
}
