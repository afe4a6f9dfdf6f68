import CurioJSON
import CurioCore
import Foundation

/// Turns parsed Tate records into Curio's records, validating as it goes.
///
/// Identifiers: items keep Tate's accession number (`acno`, e.g. `A00001`); artists become
/// `tate:artist:<id>`, subjects `tate:subject:<id>`, movements `tate:movement:<id>` and eras `tate:era:<id>`.
/// A record missing a required field, or with a field longer than the limits, is skipped with a
/// ``RecordProblem`` naming the field; a value that is present but impossible (a year outside
/// ``DateRange/plausibleYears``, a negative size, an unknown unit) is dropped with a warning and the record kept.
struct TateRecordMapper {
    let limits: TateImporter.Limits
    /// Concepts already handed out during this import (each is delivered once, with the first records using it).
    private var deliveredConcepts = Set<ConceptID>()
    /// Concepts met since the last ``takeNewConcepts()``.
    private var newConcepts: [Concept] = []
    /// Where each artwork of this import was first read, to catch repeated accession numbers.
    private var claimedItems: [ItemID: String] = [:]
    /// Identifiers of the subjects met so far, by Tate's numeric id (saves building and hashing the string).
    private var subjectIDs: [Int: ConceptID] = [:]

    init(limits: TateImporter.Limits) {
        self.limits = limits
    }

    /// Where the record being mapped came from, for problem reports.
    struct Origin {
        var file: String
        var line: Int?
    }

    /// A mapped record or the reason it was skipped, plus warnings about dropped values.
    enum Outcome<Record> {
        case record(Record, warnings: [RecordProblem])
        case skipped(RecordProblem)
    }

    /// The concepts first met since the previous call; deliver them in the same chunk as the records using them.
    mutating func takeNewConcepts() -> [Concept] {
        defer { newConcepts.removeAll(keepingCapacity: true) }
        return newConcepts
    }

    /// Claims `id` for the record at `origin`; returns where it was first read when it was read before.
    mutating func claim(_ id: ItemID, at origin: Origin) -> String? {
        if let first = claimedItems[id] { return first }
        claimedItems[id] = origin.line.map { "\(origin.file):\($0)" } ?? origin.file
        return nil
    }

    /// Two records of the same artist as one: the first record's values win, the second fills in what the
    /// first lacks, and a different display name becomes an alias.
    static func merge(_ first: Agent, _ second: Agent) -> Agent {
        var merged = first
        if second.name != first.name, !merged.aliases.contains(second.name) { merged.aliases.append(second.name) }
        for alias in second.aliases where alias != merged.name && !merged.aliases.contains(alias) { merged.aliases.append(alias) }
        merged.sortName = merged.sortName ?? second.sortName
        merged.gender = merged.gender ?? second.gender
        merged.birthYear = merged.birthYear ?? second.birthYear
        merged.deathYear = merged.deathYear ?? second.deathYear
        merged.birthPlace = merged.birthPlace ?? second.birthPlace
        merged.deathPlace = merged.deathPlace ?? second.deathPlace
        merged.url = merged.url ?? second.url
        for place in second.activePlaces where !merged.activePlaces.contains(place) { merged.activePlaces.append(place) }
        for movement in second.movements where !merged.movements.contains(movement) { merged.movements.append(movement) }
        return merged
    }

    /// Registers a concept (first description wins) and queues it for delivery.
    mutating func meet(_ concept: Concept) {
        if concept.scheme == .subject, let number = Int(concept.id.rawValue.dropFirst("tate:subject:".count)),
           concept.id.rawValue.hasPrefix("tate:subject:") {
            subjectIDs[number] = concept.id
        }
        if deliveredConcepts.insert(concept.id).inserted { newConcepts.append(concept) }
    }

    // MARK: Field access with validation

    private struct Skip: Error {
        var field: String
        var message: String
    }

    /// Text of an optional field: trimmed, nil when absent, null or empty.
    private func text(_ record: [String: JSONValue], _ key: String, limit: Int? = nil,
                      warnings: inout [RecordProblem], _ origin: Origin, _ id: String?) throws -> String? {
        guard let value = record[key], !value.isNull else { return nil }
        guard let s = value.string else {
            if let n = value.number, key != "title" {
                return n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
            }
            warnings.append(RecordProblem(file: origin.file, line: origin.line, record: id, field: key,
                                          message: "should be text but is \(value.typeDescription); ignored", kind: .fieldDropped))
            return nil
        }
        let max = limit ?? limits.maxTextBytes
        if s.utf8.count > max {
            throw Skip(field: key, message: "is \(Self.size(s.utf8.count)) long, more than the limit of \(Self.size(max))")
        }
        let trimmed = s.trimmedFast
        return trimmed.isEmpty ? nil : trimmed
    }

    /// An integer field given as a number or as digits in text.
    private static func integer(_ value: JSONValue?) -> Int? {
        guard let value else { return nil }
        if let i = value.integer { return i }
        if let s = value.string?.trimmedFast, !s.isEmpty, s.count <= 18,
           s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) {
            return Int(s)
        }
        return nil
    }

    /// A decimal field given as a number or as text; nil for anything else (Tate has `"(left):"` and the like).
    private static func decimal(_ value: JSONValue?) -> Double? {
        guard let value else { return nil }
        if let d = value.number { return d }
        if let s = value.string?.trimmedFast, !s.isEmpty, s.count < 32 { return Double(s) }
        return nil
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 10_000 { return "\(bytes / 1000) kB" }
        return "\(bytes) bytes"
    }

    // MARK: Artworks

    mutating func artwork(_ json: JSONValue, _ origin: Origin) -> Outcome<Item> {
        guard let record = json.object else {
            return .skipped(RecordProblem(file: origin.file, line: origin.line,
                                          message: "is \(json.typeDescription), not an artwork record (a JSON object)"))
        }
        var warnings: [RecordProblem] = []
        let rawID = record["acno"]
        guard let acno = rawID?.string?.trimmedFast, !acno.isEmpty else {
            let message = rawID == nil || rawID == .null ? "is missing; every artwork needs its accession number"
                : "should be text but is \(rawID!.typeDescription)"
            return .skipped(RecordProblem(file: origin.file, line: origin.line, field: "acno", message: message))
        }
        if acno.utf8.count > 64 {
            return .skipped(RecordProblem(file: origin.file, line: origin.line, field: "acno",
                                          message: "is \(Self.size(acno.utf8.count)) long; accession numbers are at most 64 bytes"))
        }
        func skip(_ field: String, _ message: String) -> Outcome<Item> {
            .skipped(RecordProblem(file: origin.file, line: origin.line, record: acno, field: field, message: message))
        }
        func warn(_ field: String, _ message: String) {
            warnings.append(RecordProblem(file: origin.file, line: origin.line, record: acno, field: field, message: message,
                                          kind: .fieldDropped))
        }
        do {
            guard let title = try text(record, "title", limit: limits.maxTitleBytes, warnings: &warnings, origin, acno) else {
                return skip("title", record["title"].map { $0.isNull || $0.string != nil ? "is empty" : "should be text but is \($0.typeDescription)" }
                                ?? "is missing; every artwork needs a title")
            }
            var item = Item(id: ItemID(acno), source: TateImporter.formatName, title: title)
            if let foreign = try text(record, "foreignTitle", warnings: &warnings, origin, acno), foreign != title {
                item.alternateTitles["und"] = foreign
            }
            item.medium = try text(record, "medium", warnings: &warnings, origin, acno)
            item.classification = try text(record, "classification", warnings: &warnings, origin, acno)
            item.dimensions = try text(record, "dimensions", warnings: &warnings, origin, acno)
            item.creditLine = try text(record, "creditLine", warnings: &warnings, origin, acno)
            item.url = try text(record, "url", warnings: &warnings, origin, acno)
            item.makers = contributors(record["contributors"], warn: warn)
            let dateText = try text(record, "dateText", warnings: &warnings, origin, acno)
            item.date = date(text: dateText, range: record["dateRange"], warn: warn)
            measure(record, into: &item, warn: warn)
            if let year = Self.integer(record["acquisitionYear"]) {
                if limits.plausibleAcquisitionYears.contains(year) {
                    item.acquisitionYear = year
                } else {
                    warn("acquisitionYear", "\(year) is not a plausible year of acquisition; dropped")
                }
            }
            if let thumbnail = try text(record, "thumbnailUrl", warnings: &warnings, origin, acno) {
                let licence = try text(record, "thumbnailCopyright", warnings: &warnings, origin, acno)
                item.images = [ImageReference(kind: .url, location: thumbnail, licence: licence)]
            }
            if let tree = record["subjects"], !tree.isNull {
                item.subjects = subjects(tree, warn: warn)
            }
            item.movements = movements(record["movements"], field: "movements", warn: warn)
            return .record(item, warnings: warnings)
        } catch let s as Skip {
            return skip(s.field, s.message)
        } catch {
            return skip("record", "\(error)")
        }
    }

    private func contributors(_ value: JSONValue?, warn: (String, String) -> Void) -> [MakerCredit] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.array else {
            warn("contributors", "should be a list but is \(value.typeDescription); ignored")
            return []
        }
        var credits: [(order: Int, index: Int, credit: MakerCredit)] = []
        for (i, entry) in list.enumerated() {
            guard let id = Self.integer(entry["id"]) else {
                warn("contributors[\(i)].id", "is missing or not a number; this contributor is left out")
                continue
            }
            let name = entry["fc"]?.string?.trimmedFast
            guard let name, !name.isEmpty, name.utf8.count <= limits.maxTitleBytes else {
                warn("contributors[\(i)].fc", "is missing, empty or too long; this contributor is left out")
                continue
            }
            let role = entry["role"]?.string?.trimmedFast
            let order = Self.integer(entry["displayOrder"]) ?? Int.max
            credits.append((order, i, MakerCredit(agent: TateImporter.agentID(id), name: name,
                                                 role: role.flatMap { $0.isEmpty ? nil : $0 } ?? "artist")))
        }
        return credits.sorted { ($0.order, $0.index) < ($1.order, $1.index) }.map(\.credit)
    }

    /// Tate's structured `dateRange` years when present, otherwise the ``DateParser`` reading of `dateText`.
    /// Circa dates (from the text) are widened by ``DateRange/circaMargin`` like every other circa date in Curio.
    private func date(text: String?, range: JSONValue?, warn: (String, String) -> Void) -> DateRange? {
        let parsed = text.flatMap(DateParser.parse)
        if let range, let start = Self.integer(range["startYear"]) {
            let end = Self.integer(range["endYear"]) ?? start
            let circa = parsed?.isCirca ?? false
            let margin = circa ? DateRange.circaMargin : 0
            let years = DateRange.plausibleYears
            guard years.contains(start), years.contains(end) else {
                warn("dateRange", "year \(years.contains(start) ? end : start) is outside \(years.lowerBound)…\(years.upperBound); the date is dropped")
                return nil
            }
            return DateRange(text: text ?? (start == end ? "\(start)" : "\(start)–\(end)"),
                             startYear: min(start, end) - margin, endYear: max(start, end) + margin, isCirca: circa)
        }
        guard let text else { return nil }
        if let parsed { return parsed }
        // Unreadable text is normal ("date not known"); a number that is not a plausible year is worth a warning.
        let digits = text.split(whereSeparator: { !$0.isNumber })
        if let big = digits.first(where: { $0.count >= 5 }) {
            warn("dateText", "'\(text.prefix(40))' has year \(big.prefix(12)), outside \(DateRange.plausibleYears.lowerBound)…\(DateRange.plausibleYears.upperBound); the date is dropped")
        }
        return nil
    }

    /// Width, height and depth in millimetres from Tate's `width`/`height`/`depth` and `units`.
    private func measure(_ record: [String: JSONValue], into item: inout Item, warn: (String, String) -> Void) {
        let values = [("width", Self.decimal(record["width"])), ("height", Self.decimal(record["height"])),
                      ("depth", Self.decimal(record["depth"]))]
        guard values.contains(where: { $0.1 != nil }) else { return }
        let unit = (record["units"]?.string ?? "").trimmedFast.lowercased()
        let factor: Double
        switch unit {
        case "", "mm", "millimetre", "millimetres", "millimeter", "millimeters": factor = 1
        case "cm", "centimetre", "centimetres", "centimeter", "centimeters": factor = 10
        case "m", "metre", "metres", "meter", "meters": factor = 1000
        case "in", "inch", "inches", "\"": factor = 25.4
        case "ft", "foot", "feet": factor = 304.8
        default:
            warn("units", "unknown unit '\(unit.prefix(20))'; the measurements are dropped")
            return
        }
        for (field, value) in values {
            guard let value else { continue }
            let mm = value * factor
            guard mm.isFinite, mm > 0, mm <= limits.maxDimensionMM else {
                warn(field, "\(value) \(unit.isEmpty ? "mm" : unit) is not a plausible size; dropped")
                continue
            }
            switch field {
            case "width": item.widthMM = mm
            case "height": item.heightMM = mm
            default: item.depthMM = mm
            }
        }
    }

    /// Walks Tate's subject tree (`subject` → level 0 → level 1 → level 2), registering every node as a concept
    /// with its broader term and level, and returns the leaves as the item's subjects.
    private mutating func subjects(_ tree: JSONValue, warn: (String, String) -> Void) -> [ConceptID] {
        guard tree.object != nil else {
            warn("subjects", "should be an object but is \(tree.typeDescription); ignored")
            return []
        }
        var leaves: [ConceptID] = []
        var seen: [Int] = []
        func visit(_ node: JSONValue, level: Int, broader: ConceptID?) {
            guard level < 8 else { return }
            guard let id = Self.integer(node["id"]) else {
                warn("subjects", "a subject without an id is left out")
                return
            }
            let conceptID: ConceptID
            if let known = subjectIDs[id] {
                // Met before in this import: its concept has been queued already (the first description wins).
                conceptID = known
            } else {
                guard let label = node["name"]?.string?.trimmedFast, !label.isEmpty else {
                    warn("subjects", "subject \(id) has no name and is left out")
                    return
                }
                conceptID = TateImporter.subjectID(id)
                subjectIDs[id] = conceptID
                meet(Concept(id: conceptID, scheme: .subject, label: label, broader: broader, level: level))
            }
            let children = node["children"]?.array ?? []
            if children.isEmpty, !seen.contains(id) {
                seen.append(id)
                leaves.append(conceptID)
            }
            for child in children { visit(child, level: level + 1, broader: conceptID) }
        }
        // The root node ("subject", id 1) is the tree itself, not a term.
        for top in tree["children"]?.array ?? [] { visit(top, level: 0, broader: nil) }
        return leaves
    }

    /// Movements with their eras, as concepts; returns the movement ids.
    private mutating func movements(_ value: JSONValue?, field: String, warn: (String, String) -> Void) -> [ConceptID] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.array else {
            warn(field, "should be a list but is \(value.typeDescription); ignored")
            return []
        }
        var ids: [ConceptID] = []
        for entry in list {
            guard let id = Self.integer(entry["id"]), let name = entry["name"]?.string?.trimmedFast,
                  !name.isEmpty else {
                warn(field, "a movement without id or name is left out")
                continue
            }
            var broader: ConceptID?
            if let era = entry["era"], let eraID = Self.integer(era["id"]),
               let eraName = era["name"]?.string?.trimmedFast, !eraName.isEmpty {
                broader = TateImporter.eraID(eraID)
                meet(Concept(id: TateImporter.eraID(eraID), scheme: .era, label: eraName, level: 0))
            }
            let movementID = TateImporter.movementID(id)
            meet(Concept(id: movementID, scheme: .movement, label: name, broader: broader, level: broader == nil ? 0 : 1))
            if !ids.contains(movementID) { ids.append(movementID) }
        }
        return ids
    }

    // MARK: Artists

    mutating func artist(_ json: JSONValue, _ origin: Origin) -> Outcome<Agent> {
        guard let record = json.object else {
            return .skipped(RecordProblem(file: origin.file, line: origin.line,
                                          message: "is \(json.typeDescription), not an artist record (a JSON object)"))
        }
        guard let id = Self.integer(record["id"]) else {
            return .skipped(RecordProblem(file: origin.file, line: origin.line, field: "id",
                                          message: record["id"] == nil ? "is missing; every artist needs its Tate id" : "should be a number"))
        }
        let agentID = TateImporter.agentID(id)
        var warnings: [RecordProblem] = []
        func warn(_ field: String, _ message: String) {
            warnings.append(RecordProblem(file: origin.file, line: origin.line, record: agentID.rawValue, field: field,
                                          message: message, kind: .fieldDropped))
        }
        func skip(_ field: String, _ message: String) -> Outcome<Agent> {
            .skipped(RecordProblem(file: origin.file, line: origin.line, record: agentID.rawValue, field: field, message: message))
        }
        do {
            guard let name = try text(record, "fc", limit: limits.maxTitleBytes, warnings: &warnings, origin, agentID.rawValue) else {
                return skip("fc", "is missing or empty; every artist needs a name")
            }
            var agent = Agent(id: agentID, name: name)
            agent.sortName = try text(record, "mda", limit: limits.maxTitleBytes, warnings: &warnings, origin, agentID.rawValue)
            agent.gender = try text(record, "gender", warnings: &warnings, origin, agentID.rawValue)
            agent.url = try text(record, "url", warnings: &warnings, origin, agentID.rawValue)
            let birth = record["birth"]
            let death = record["death"]
            agent.birthYear = year(Self.integer(record["birthYear"]) ?? Self.integer(birth?["time"]?["startYear"]),
                                   field: "birthYear", warn: warn)
            agent.deathYear = year(Self.integer(record["deathYear"]) ?? Self.integer(death?["time"]?["startYear"]),
                                   field: "deathYear", warn: warn)
            agent.birthPlace = place(birth?["place"])
            agent.deathPlace = place(death?["place"])
            agent.activePlaces = (record["activePlaces"]?.array ?? []).compactMap(place)
            agent.movements = movements(record["movements"], field: "movements", warn: warn)
            return .record(agent, warnings: warnings)
        } catch let s as Skip {
            return skip(s.field, s.message)
        } catch {
            return skip("record", "\(error)")
        }
    }

    private func year(_ value: Int?, field: String, warn: (String, String) -> Void) -> Int? {
        guard let value else { return nil }
        guard DateRange.plausibleYears.contains(value) else {
            warn(field, "\(value) is outside \(DateRange.plausibleYears.lowerBound)…\(DateRange.plausibleYears.upperBound); dropped")
            return nil
        }
        return value
    }

    /// A Tate place: `name` is the full text (`Philadelphia, United States`); the country is the text after
    /// the last comma, or the place itself when Tate types it as a nation.
    private func place(_ value: JSONValue?) -> Place? {
        guard let value, let name = value["name"]?.string?.trimmedFast, !name.isEmpty,
              name.utf8.count <= limits.maxTitleBytes else { return nil }
        let placeName = value["placeName"]?.string?.trimmedFast
        let type = value["placeType"]?.string
        var country: String?
        if let comma = name.lastIndex(of: ",") {
            let after = name[name.index(after: comma)...].trimmedFast
            if !after.isEmpty { country = after }
        } else if type == "nation" {
            country = placeName ?? name
        }
        let own = placeName.flatMap { $0.isEmpty ? nil : $0 }
            ?? name.split(separator: ",").first.map { $0.trimmedFast } ?? name
        return Place(name: name, placeName: own, placeType: type, country: country)
    }
}

extension StringProtocol {
    /// Without leading and trailing white space. Foundation's `trimmingCharacters(in:)` bridges through NSString on
    /// Linux and took a third of the Tate ingest; this returns the string itself in the common untrimmed case.
    var trimmedFast: String {
        let whole = String(self)
        let utf8 = whole.utf8
        guard let first = utf8.first, let last = utf8.last else { return whole }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0B && b != 0x0C }
        if plain(first) && plain(last) { return whole }
        var scalars = Substring(whole).unicodeScalars
        while let c = scalars.first, c.properties.isWhitespace { scalars.removeFirst() }
        while let c = scalars.last, c.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
