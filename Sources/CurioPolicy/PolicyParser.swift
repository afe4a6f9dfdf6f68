import CurioCore
import CurioJSON
import Foundation

extension Policy {
    /// Parses and validates a policy document.
    ///
    /// - Parameters:
    ///   - data: the JSON text.
    ///   - source: a name for error messages (file path or `PUT /v1/policies/NAME`).
    ///   - nameOverride: the name from the URL, which wins over the document's `name`.
    /// - Throws: ``PolicyError`` naming the JSON path of the first problem found.
    public static func parse(_ data: Data, source: String, nameOverride: String? = nil) throws -> Policy {
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch {
            throw PolicyError.malformed(source: source, reason: "not JSON (\(error))")
        }
        guard let object = root.object else {
            throw PolicyError.malformed(source: source, reason: "the top level must be a JSON object")
        }
        let reader = Reader(object: object, path: "")
        let known: Set = ["name", "version", "note", "popularity_correction", "diversity", "max_per_maker",
                          "max_maker_share", "calibration", "exposure", "rules"]
        try reader.rejectUnknown(known)
        let name = try nameOverride ?? reader.string("name") ?? "default"
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw PolicyError.invalid(path: "name", reason: "must be 1–64 letters, digits, '-' or '_' (got '\(name)')")
        }
        var policy = Policy(name: name)
        policy.version = try reader.int("version") ?? 0
        policy.note = try reader.string("note")
        policy.popularityCorrection = try reader.fraction("popularity_correction") ?? 0
        policy.diversity = try reader.fraction("diversity") ?? 0
        if let m = try reader.int("max_per_maker") {
            guard m >= 1 else { throw PolicyError.invalid(path: "max_per_maker", reason: "must be at least 1 (got \(m))") }
            policy.maxPerMaker = m
        }
        if let raw = reader.object["max_maker_share"], !raw.isNull {
            policy.makerShare = try parseMakerShare(raw)
        }
        if let c = try reader.object("calibration") {
            let r = Reader(object: c, path: "calibration")
            try r.rejectUnknown(["attribute", "strength"])
            policy.calibration = Calibration(attribute: try r.requiredAttribute("attribute"),
                                             strength: try r.fraction("strength") ?? 0.5)
        }
        if let e = try reader.object("exposure") {
            policy.exposure = try parseExposure(e)
        }
        if let rules = try reader.array("rules") {
            policy.rules = try rules.enumerated().map { i, raw in
                guard let o = raw.object else {
                    throw PolicyError.invalid(path: "rules[\(i)]", reason: "must be an object")
                }
                return try parseRule(o, path: "rules[\(i)]")
            }
        }
        try policy.validate()
        return policy
    }

    /// `"max_maker_share": 0.25` or `{"max": 0.25, "tolerance": 0.02, "pricing": 0.1}`.
    private static func parseMakerShare(_ raw: JSONValue) throws -> MakerShare {
        let path = "max_maker_share"
        var share: MakerShare
        if let number = raw.number {
            share = MakerShare(max: number)
        } else if let o = raw.object {
            let r = Reader(object: o, path: path)
            try r.rejectUnknown(["max", "tolerance", "pricing"])
            guard let max = try r.fraction("max") else { throw PolicyError.invalid(path: "\(path).max", reason: "is required") }
            share = MakerShare(max: max, tolerance: try r.fraction("tolerance") ?? 0.02,
                               pricing: try r.double("pricing") ?? ExposureTargets.defaultPricing)
        } else {
            throw PolicyError.invalid(path: path, reason: "must be a share (0…1) or {\"max\": …, \"tolerance\": …, \"pricing\": …}")
        }
        guard share.max > 0, share.max <= 1, share.max.isFinite else {
            throw PolicyError.invalid(path: path, reason: "must be a share above 0 and at most 1 (got \(share.max))")
        }
        guard share.tolerance <= 0.5 else { throw PolicyError.invalid(path: "\(path).tolerance", reason: "must be at most 0.5") }
        guard share.pricing >= 0, share.pricing <= 10 else {
            throw PolicyError.invalid(path: "\(path).pricing", reason: "must be between 0 (off) and 10 (got \(share.pricing))")
        }
        return share
    }

    private static func parseExposure(_ e: [String: JSONValue]) throws -> ExposureTargets {
        let r = Reader(object: e, path: "exposure")
        try r.rejectUnknown(["attribute", "targets", "tolerance", "denominator", "pricing"])
        let attribute = try r.requiredAttribute("attribute")
        guard let raw = try r.object("targets"), !raw.isEmpty else {
            throw PolicyError.invalid(path: "exposure.targets", reason: "must name at least one group, e.g. {\"Female\": {\"min\": 0.4}}")
        }
        var targets: [String: ExposureTargets.Share] = [:]
        for (value, spec) in raw {
            let path = "exposure.targets.\(value)"
            if let number = spec.number {
                targets[value] = .init(min: number)
                continue
            }
            guard let o = spec.object else {
                throw PolicyError.invalid(path: path, reason: "must be a share (0…1) or {\"min\": …, \"max\": …}")
            }
            let sr = Reader(object: o, path: path)
            try sr.rejectUnknown(["min", "max"])
            let share = ExposureTargets.Share(min: try sr.fraction("min"), max: try sr.fraction("max"))
            if share.min == nil && share.max == nil {
                throw PolicyError.invalid(path: path, reason: "needs a min or a max share")
            }
            targets[value] = share
        }
        let denominatorName = try r.string("denominator") ?? "known"
        guard let denominator = ExposureTargets.Denominator(rawValue: denominatorName) else {
            throw PolicyError.invalid(path: "exposure.denominator", reason: "must be 'all' or 'known' (got '\(denominatorName)')")
        }
        let pricing = try r.double("pricing") ?? ExposureTargets.defaultPricing
        guard pricing >= 0, pricing <= 10 else {
            throw PolicyError.invalid(path: "exposure.pricing", reason: "must be between 0 (off) and 10 (got \(pricing))")
        }
        return ExposureTargets(attribute: attribute, targets: targets, tolerance: try r.fraction("tolerance") ?? 0.01,
                               denominator: denominator, pricing: pricing)
    }

    private static func parseRule(_ o: [String: JSONValue], path: String) throws -> Rule {
        let r = Reader(object: o, path: path)
        guard let type = try r.string("type") else {
            throw PolicyError.invalid(path: "\(path).type", reason: "is required (pin, ban, boost, require_open_licence, campaign)")
        }
        switch type {
        case "pin":
            try r.rejectUnknown(["type", "item", "slot"])
            guard let item = try r.string("item"), !item.isEmpty else {
                throw PolicyError.invalid(path: "\(path).item", reason: "is required for a pin")
            }
            guard let slot = try r.int("slot"), slot >= 1, slot <= 100 else {
                throw PolicyError.invalid(path: "\(path).slot", reason: "must be a slot number from 1 to 100")
            }
            return .pin(item: ItemID(item), slot: slot)
        case "ban":
            try r.rejectUnknown(["type", "items", "item", "group"])
            return .ban(try r.target())
        case "boost":
            try r.rejectUnknown(["type", "items", "item", "group", "factor"])
            guard let factor = try r.double("factor"), factor > 0, factor <= 100 else {
                throw PolicyError.invalid(path: "\(path).factor", reason: "must be a number above 0 and at most 100")
            }
            return .boost(try r.target(), factor: factor)
        case "require_open_licence", "require_open_license":
            try r.rejectUnknown(["type"])
            return .requireOpenLicence
        case "campaign":
            try r.rejectUnknown(["type", "name", "from", "to", "items", "item", "group", "factor", "slot"])
            let name = try r.string("name") ?? "campaign"
            let from = try r.requiredDate("from")
            let to = try r.requiredDate("to")
            guard from <= to else {
                throw PolicyError.invalid(path: "\(path).to", reason: "ends before it starts")
            }
            let factor = try r.double("factor") ?? 1.5
            guard factor > 0, factor <= 100 else {
                throw PolicyError.invalid(path: "\(path).factor", reason: "must be a number above 0 and at most 100")
            }
            var slot: Int?
            if let s = try r.int("slot") {
                guard (1...100).contains(s) else { throw PolicyError.invalid(path: "\(path).slot", reason: "must be from 1 to 100") }
                slot = s
            }
            return .campaign(name: name, from: from, to: to, target: try r.target(), factor: factor, slot: slot)
        default:
            throw PolicyError.invalid(path: "\(path).type",
                                      reason: "unknown rule type '\(type)' (known: pin, ban, boost, require_open_licence, campaign)")
        }
    }

    /// Checks rules against each other. Called by ``parse(_:source:nameOverride:)``; call it again after editing a policy in code.
    public func validate() throws {
        if let e = exposure {
            var minSum = 0.0
            for (value, share) in e.targets.sorted(by: { $0.key < $1.key }) {
                if let lo = share.min, let hi = share.max, lo > hi {
                    throw PolicyError.contradictory(paths: ["exposure.targets.\(value).min", "exposure.targets.\(value).max"],
                                                    reason: "minimum share \(lo) is above maximum share \(hi)")
                }
                minSum += share.min ?? 0
            }
            if minSum > 1.0 + 1e-9 {
                throw PolicyError.invalid(path: "exposure.targets",
                                          reason: "minimum shares add up to \(Int((minSum * 100).rounded()))%, above 100%")
            }
            if e.tolerance > 0.5 {
                throw PolicyError.invalid(path: "exposure.tolerance", reason: "must be at most 0.5")
            }
        }
        var pinnedSlots: [Int: Int] = [:]
        var pinnedItems: [ItemID: Int] = [:]
        for (i, rule) in rules.enumerated() {
            guard case let .pin(item, slot) = rule else { continue }
            if let other = pinnedSlots[slot] {
                throw PolicyError.contradictory(paths: ["rules[\(other)]", "rules[\(i)]"], reason: "both pin an item into slot \(slot)")
            }
            if let other = pinnedItems[item] {
                throw PolicyError.contradictory(paths: ["rules[\(other)]", "rules[\(i)]"], reason: "both pin item \(item)")
            }
            pinnedSlots[slot] = i
            pinnedItems[item] = i
        }
        for (i, rule) in rules.enumerated() {
            guard case let .ban(target) = rule else { continue }
            for (j, other) in rules.enumerated() where j != i {
                switch other {
                case let .pin(item, _):
                    if case let .items(ids) = target, ids.contains(item) {
                        throw PolicyError.contradictory(paths: ["rules[\(i)]", "rules[\(j)]"], reason: "item \(item) is both banned and pinned")
                    }
                case let .boost(t, _) where t == target:
                    throw PolicyError.contradictory(paths: ["rules[\(i)]", "rules[\(j)]"], reason: "\(target) is both banned and boosted")
                case let .campaign(_, _, _, t, _, _) where t == target:
                    throw PolicyError.contradictory(paths: ["rules[\(i)]", "rules[\(j)]"], reason: "\(target) is both banned and promoted by a campaign")
                default: break
                }
            }
            if case let .group(g) = target, let e = exposure, e.attribute == g.attribute, (e.targets[g.value]?.min ?? 0) > 0 {
                throw PolicyError.contradictory(paths: ["rules[\(i)]", "exposure.targets.\(g.value)"],
                                                reason: "group \(g) is banned but has a minimum exposure share")
            }
        }
    }
}

/// Reads typed fields from a JSON object, naming the JSON path in errors.
private struct Reader {
    let object: [String: JSONValue]
    let path: String

    private func p(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func rejectUnknown(_ known: Set<String>) throws {
        for key in object.keys.sorted() where !known.contains(key) {
            throw PolicyError.invalid(path: p(key), reason: "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let s = v.string else { throw PolicyError.invalid(path: p(key), reason: "must be a string") }
        return s
    }

    func double(_ key: String) throws -> Double? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let n = v.number, n.isFinite else {
            throw PolicyError.invalid(path: p(key), reason: "must be a number")
        }
        return n
    }

    func int(_ key: String) throws -> Int? {
        guard let d = try double(key) else { return nil }
        guard d == d.rounded(), abs(d) < 1e9 else { throw PolicyError.invalid(path: p(key), reason: "must be a whole number") }
        return Int(d)
    }

    func fraction(_ key: String) throws -> Double? {
        guard let d = try double(key) else { return nil }
        guard (0...1).contains(d) else { throw PolicyError.invalid(path: p(key), reason: "must be between 0 and 1 (got \(d))") }
        return d
    }

    func object(_ key: String) throws -> [String: JSONValue]? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let o = v.object else { throw PolicyError.invalid(path: p(key), reason: "must be an object") }
        return o
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let a = v.array else { throw PolicyError.invalid(path: p(key), reason: "must be an array") }
        return a
    }

    func requiredAttribute(_ key: String) throws -> GroupAttribute {
        guard let name = try string(key) else { throw PolicyError.invalid(path: p(key), reason: "is required") }
        guard let a = GroupAttribute(name: name) else {
            throw PolicyError.invalid(path: p(key),
                                      reason: "unknown group attribute '\(name)' (known: \(GroupAttribute.builtInNames.joined(separator: ", ")))")
        }
        return a
    }

    func requiredDate(_ key: String) throws -> Date {
        guard let s = try string(key) else { throw PolicyError.invalid(path: p(key), reason: "is required (YYYY-MM-DD)") }
        let full = ISO8601DateFormatter()
        if let d = full.date(from: s) { return d }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let d = day.date(from: s) { return d }
        throw PolicyError.invalid(path: p(key), reason: "'\(s)' is not a date (YYYY-MM-DD or ISO 8601)")
    }

    /// Reads `items`/`item`/`group` into a rule target.
    func target() throws -> Policy.Target {
        let hasItems = object["items"] != nil || object["item"] != nil
        let hasGroup = object["group"] != nil
        if hasItems == hasGroup {
            throw PolicyError.invalid(path: path, reason: "needs exactly one of 'items' (or 'item') and 'group'")
        }
        if hasGroup {
            guard let g = try self.object("group") else { throw PolicyError.invalid(path: p("group"), reason: "must be an object") }
            let r = Reader(object: g, path: p("group"))
            try r.rejectUnknown(["attribute", "value"])
            let attribute = try r.requiredAttribute("attribute")
            guard let value = try r.string("value"), !value.isEmpty else {
                throw PolicyError.invalid(path: p("group.value"), reason: "is required")
            }
            return .group(GroupKey(attribute: attribute, value: value))
        }
        if let one = try string("item") { return .items([ItemID(one)]) }
        guard let list = try array("items"), !list.isEmpty else {
            throw PolicyError.invalid(path: p("items"), reason: "must be a non-empty array of item ids")
        }
        return .items(try list.enumerated().map { i, v in
            guard let s = v.string, !s.isEmpty else { throw PolicyError.invalid(path: p("items[\(i)]"), reason: "must be an item id") }
            return ItemID(s)
        })
    }
}

