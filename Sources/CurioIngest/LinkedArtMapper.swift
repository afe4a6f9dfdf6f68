import CurioJSON
import CurioCore
import Foundation

/// Maps one Linked Art `HumanMadeObject` document onto an ``CurioCore/Item`` with its agents and concepts.
///
/// The field-by-field mapping is documented on ``LinkedArtImporter`` and in `docs/importers.md`.
struct LinkedArtMapper {
    /// What became of one document.
    enum Outcome {
        case item(Item, agents: [Agent], concepts: [Concept], problems: [RecordProblem])
        case skipped(RecordProblem)
    }

    static let source = "linked-art"
    static let acceptedTypes: Set<String> = ["HumanMadeObject", "ManMadeObject", "crm:E22_Human-Made_Object",
                                             "crm:E22_Man-Made_Object"]

    let file: String
    let line: Int?
    let limits: RecordLimits
    private var agents: [AgentID: Agent] = [:]
    private var concepts: [ConceptID: Concept] = [:]
    private var problems: [RecordProblem] = []
    private var recordID: String?

    init(file: String, line: Int?, limits: RecordLimits) {
        self.file = file
        self.line = line
        self.limits = limits
    }

    /// Maps `json` (a parsed document).
    static func map(_ json: JSONValue, file: String, line: Int?, limits: RecordLimits) -> Outcome {
        var mapper = LinkedArtMapper(file: file, line: line, limits: limits)
        return mapper.map(json)
    }

    private func skip(_ field: String?, _ message: String) -> Outcome {
        .skipped(RecordProblem(file: file, line: line, record: recordID, field: field,
                               message: message + "; record skipped"))
    }

    private mutating func drop(_ field: String, _ message: String) {
        problems.append(RecordProblem(file: file, line: line, record: recordID, field: field, message: message,
                                      kind: .fieldDropped))
    }

    private mutating func map(_ json: JSONValue) -> Outcome {
        guard let object = json.object else {
            return skip(nil, "is not a JSON object (a Linked Art document is one object)")
        }
        let doc = LinkedArtNode(object, path: "")
        recordID = doc.id
        guard let type = doc.type else {
            return skip("type", "is missing; a Linked Art object document has \"type\": \"HumanMadeObject\"")
        }
        guard Self.acceptedTypes.contains(type) else {
            return skip("type", "is '\(type)'; only HumanMadeObject documents describe collection objects")
        }

        // Identifier: the accession number, else the document's URI.
        let identifiers = doc.nodes("identified_by").filter { $0.type == "Identifier" }
        let accession = identifiers.first { $0.isClassified(as: LinkedArtVocabulary.accessionNumber) }?.content
        guard let idText = accession ?? doc.id else {
            return skip("identified_by", "has no accession number (Identifier classified as aat:300312355) and "
                + "the document has no id")
        }
        recordID = idText
        if idText.count > limits.identifier || idText.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control
        }) {
            return skip("identified_by", "the identifier is longer than \(limits.identifier) characters or contains "
                + "a control character")
        }

        // Title: a primary Name (English or without language first), else any Name, else _label.
        let names = doc.nodes("identified_by").filter { $0.type == "Name" && $0.content != nil }
        let primary = names.filter { $0.isClassified(as: LinkedArtVocabulary.primaryName) }
        let ordered = primary + names.filter { !$0.isClassified(as: LinkedArtVocabulary.primaryName) }
        let titleNode = ordered.first { $0.languageTags.isEmpty || $0.languageTags.contains("en") } ?? ordered.first
        guard let title = titleNode?.content ?? doc.label else {
            return skip("identified_by", "has no Name and the document has no _label, so the object has no title")
        }
        if title.count > limits.title {
            return skip("identified_by", "the title is \(title.count) characters long, more than the limit of "
                + "\(limits.title)")
        }
        var item = Item(id: ItemID(idText), source: Self.source, title: title)
        let titleLanguages = Set(titleNode?.languageTags ?? [])
        for name in ordered where name.path != titleNode?.path {
            for tag in name.languageTags where !titleLanguages.contains(tag) && item.alternateTitles[tag] == nil {
                item.alternateTitles[tag] = name.content
            }
        }
        if let uri = doc.id, uri.hasPrefix("http://") || uri.hasPrefix("https://") { item.url = uri }

        // Statements.
        let statements = doc.nodes("referred_to_by").filter { $0.content != nil }
        func statement(_ kinds: Set<String>) -> String? {
            let matching = statements.filter { $0.isClassified(asAnyOf: kinds) }
            return (matching.first { $0.languageTags.isEmpty || $0.languageTags.contains("en") } ?? matching.first)?
                .content
        }
        item.description = statement(LinkedArtVocabulary.description)
        item.creditLine = statement(LinkedArtVocabulary.creditLine)
        item.dimensions = statement(LinkedArtVocabulary.dimensionStatement)
        item.rights = statement(LinkedArtVocabulary.rightsStatement) ?? rightsText(doc.nodes("subject_to"))

        mapClassifications(doc, into: &item)
        mapMaterials(doc, into: &item)
        mapSubjects(doc, into: &item)
        mapDimensions(doc, into: &item)
        mapProduction(doc, into: &item)
        item.images = images(doc)
        if let page = homePage(doc) { item.url = page }

        for value in [item.description, item.creditLine, item.dimensions, item.medium, item.rights,
                      item.classification] {
            if let value, value.count > limits.text {
                return skip("referred_to_by", "a text is \(value.count) characters long, more than the limit of "
                    + "\(limits.text)")
            }
        }
        for key in ["identified_by", "referred_to_by", "classified_as", "made_of", "produced_by", "shows",
                    "dimension", "representation", "subject_of", "subject_to"] where doc.isMalformed(key) {
            drop(key, "must be an object or an array of objects; ignored")
        }
        return .item(item, agents: agents.values.sorted { $0.id < $1.id },
                     concepts: concepts.values.sorted { $0.id < $1.id }, problems: problems)
    }

    // MARK: - Concepts

    /// Records a concept for a Type/Material/subject node and returns its id (nil when it has neither id nor label).
    private mutating func concept(_ node: LinkedArtNode, scheme: Concept.Scheme) -> ConceptID? {
        let label = node.displayName
        let id: ConceptID
        var sourceURI: String?
        if let uri = node.id {
            id = ConceptID(LinkedArtVocabulary.compact(uri))
            sourceURI = uri
        } else if let label, let minted = MintedID.concept(source: Self.source, scheme: scheme, path: [label]) {
            id = minted
        } else {
            return nil
        }
        if concepts[id] == nil {
            concepts[id] = Concept(id: id, scheme: scheme, label: label ?? id.rawValue, sourceURI: sourceURI)
        }
        return id
    }

    private mutating func mapClassifications(_ doc: LinkedArtNode, into item: inout Item) {
        var candidates: [LinkedArtNode] = []
        for type in doc.nodes("classified_as") {
            let meta = type.classificationNumbers
            if type.id.flatMap(LinkedArtVocabulary.aatNumber) == LinkedArtVocabulary.artwork
                || meta.contains(LinkedArtVocabulary.shape) { continue }
            if meta.contains(LinkedArtVocabulary.style) {
                if let id = concept(type, scheme: .movement), !item.movements.contains(id) { item.movements.append(id) }
                continue
            }
            _ = concept(type, scheme: .classification)
            candidates.append(type)
        }
        let main = candidates.first { $0.isClassified(as: LinkedArtVocabulary.typeOfWork) } ?? candidates.first
        item.classification = main.flatMap { $0.displayName ?? $0.id.map(LinkedArtVocabulary.compact) }
    }

    private mutating func mapMaterials(_ doc: LinkedArtNode, into item: inout Item) {
        var labels: [String] = []
        for material in doc.nodes("made_of") {
            _ = concept(material, scheme: .material)
            if let l = material.displayName { labels.append(l) }
        }
        let statements = doc.nodes("referred_to_by").filter {
            $0.content != nil && $0.isClassified(asAnyOf: LinkedArtVocabulary.materialStatement)
        }
        item.medium = statements.first?.content ?? (labels.isEmpty ? nil : labels.joined(separator: ", "))
    }

    private mutating func mapSubjects(_ doc: LinkedArtNode, into item: inout Item) {
        func add(_ node: LinkedArtNode) {
            guard let id = concept(node, scheme: .subject) else {
                drop(node.path, "names neither an id nor a label; left out")
                return
            }
            if !item.subjects.contains(id) { item.subjects.append(id) }
        }
        for visual in doc.nodes("shows") {
            for key in ["about", "represents", "represents_instance_of_type", "classified_as"] {
                visual.nodes(key).forEach(add)
            }
            for style in visual.nodes("style") {
                if let id = concept(style, scheme: .movement), !item.movements.contains(id) { item.movements.append(id) }
            }
        }
        doc.nodes("about").forEach(add)
    }

    private mutating func mapDimensions(_ doc: LinkedArtNode, into item: inout Item) {
        var parts: [String] = []
        for dimension in doc.nodes("dimension") {
            let value: Double?
            switch dimension.object["value"] {
            case let .number(n)?: value = n
            case let .string(s)?: value = Double(s.importTrimmed)
            default: value = nil
            }
            guard let value, value.isFinite else {
                drop("\(dimension.path).value", "is not a number; dimension ignored")
                continue
            }
            let unit = dimension.node("unit")
            let typeNode = dimension.nodes("classified_as").first
            let kind = typeNode?.id.flatMap(LinkedArtVocabulary.aatNumber)
            let unitLabel = unit?.displayName ?? unit?.id.map(LinkedArtVocabulary.compact) ?? ""
            parts.append([typeNode?.displayName.map { $0.lowercased() + ":" }, Self.format(value), unitLabel]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "))
            guard let factor = millimetres(per: unit) else { continue }
            switch kind {
            case LinkedArtVocabulary.height?: item.heightMM = value * factor
            case LinkedArtVocabulary.width?: item.widthMM = value * factor
            case let k? where LinkedArtVocabulary.depth.contains(k): item.depthMM = value * factor
            default: break
            }
        }
        if item.dimensions == nil, !parts.isEmpty { item.dimensions = parts.joined(separator: "; ") }
    }

    private static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    private func millimetres(per unit: LinkedArtNode?) -> Double? {
        guard let unit else { return nil }
        if let n = unit.id.flatMap(LinkedArtVocabulary.aatNumber), let f = LinkedArtVocabulary.unitMillimetres[n] {
            return f
        }
        switch unit.displayName?.lowercased() {
        case "mm", "millimeter", "millimeters", "millimetre", "millimetres": return 1
        case "cm", "centimeter", "centimeters", "centimetre", "centimetres": return 10
        case "m", "meter", "meters", "metre", "metres": return 1000
        case "in", "in.", "inch", "inches": return 25.4
        case "ft", "foot", "feet": return 304.8
        default: return nil
        }
    }

    // MARK: - Production

    private mutating func mapProduction(_ doc: LinkedArtNode, into item: inout Item) {
        let productions = doc.nodes("produced_by")
        for production in productions {
            collectMakers(production, role: nil, into: &item)
        }
        guard let production = productions.first else { return }
        if let span = production.node("timespan") {
            item.date = date(span)
        } else {
            // No overall timespan: the span covering the parts' timespans.
            let spans = production.nodes("part").compactMap { $0.node("timespan") }.compactMap { date($0) }
            if let first = spans.first {
                let start = spans.map(\.startYear).min() ?? first.startYear
                let end = spans.map(\.endYear).max() ?? first.endYear
                item.date = spans.count == 1 ? first
                    : DateRange(text: start == end ? String(start) : "\(start)–\(end)", startYear: start, endYear: end,
                                isCirca: spans.contains(where: \.isCirca))
            }
        }
    }

    private mutating func collectMakers(_ activity: LinkedArtNode, role inherited: String?, into item: inout Item) {
        let own = activity.nodes("classified_as").compactMap(\.displayName).first
        let role = own ?? inherited ?? "artist"
        for actor in activity.nodes("carried_out_by") {
            guard let agent = agent(actor) else {
                drop(actor.path, "has neither an id nor a name; maker left out")
                continue
            }
            let credit = MakerCredit(agent: agent.id, name: agent.name, role: role)
            if !item.makers.contains(credit) { item.makers.append(credit) }
        }
        for part in activity.nodes("part") {
            collectMakers(part, role: own ?? inherited, into: &item)
        }
    }

    private mutating func agent(_ node: LinkedArtNode) -> Agent? {
        let name = node.displayName
        let id: AgentID
        if let uri = node.id {
            id = AgentID(LinkedArtVocabulary.compact(uri))
        } else if let name, let minted = MintedID.agent(source: Self.source, name: name) {
            id = minted
        } else {
            return nil
        }
        if let existing = agents[id] { return existing }
        var agent = Agent(id: id, name: name ?? id.rawValue)
        if let uri = node.id, uri.hasPrefix("http://") || uri.hasPrefix("https://") { agent.url = uri }
        agent.birthYear = node.node("born")?.node("timespan").flatMap { year($0, "begin_of_the_begin") ?? year($0, "end_of_the_end") }
        agent.deathYear = node.node("died")?.node("timespan").flatMap { year($0, "end_of_the_end") ?? year($0, "begin_of_the_begin") }
        let names = node.nodes("identified_by").filter { $0.type == "Name" }.compactMap(\.content)
        agent.aliases = names.filter { $0 != agent.name }
        agents[id] = agent
        return agent
    }

    /// A year read quietly from a timespan boundary (agents' life dates), or nil.
    private func year(_ span: LinkedArtNode, _ key: String) -> Int? {
        guard let text = span.object[key]?.string, case let .year(y)? = Self.parseYear(text),
              DateRange.plausibleYears.contains(y) else { return nil }
        return y
    }

    enum BoundaryYear: Equatable {
        case year(Int)
        case unreadable
    }

    /// The year of an xsd:dateTime or xsd:date (`1780-03-05T00:00:00Z`, `1780-06`, `1780`), in Curio's convention.
    ///
    /// XSD 1.1 and ISO 8601 count a year zero (`0000` is 1 BCE, `-0663` is 664 BCE) while Curio's years, like
    /// catalogue texts, have none (664 BCE is -664), so years at or below zero are moved down by one.
    static func parseYear(_ text: String) -> BoundaryYear? {
        let s = text.importTrimmed
        guard !s.isEmpty else { return nil }
        var body = Substring(s)
        var sign = 1
        if body.hasPrefix("-") {
            sign = -1
            body = body.dropFirst()
        } else if body.hasPrefix("+") {
            body = body.dropFirst()
        }
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let value = Int(digits) else { return .unreadable }
        let rest = body.dropFirst(digits.count)
        guard rest.isEmpty || rest.hasPrefix("-") || rest.hasPrefix("T") else { return .unreadable }
        let year = sign * value
        return .year(year <= 0 ? year - 1 : year)
    }

    /// Whether a boundary is the very first instant of a year (`1781-01-01T00:00:00Z`), as exclusive ends are written.
    private static func isStartOfYear(_ text: String) -> Bool {
        let s = text.importTrimmed
        guard let dash = s.dropFirst().firstIndex(of: "-") else { return false }
        var rest = s[dash...]
        for zone in ["Z", "+00:00"] where rest.hasSuffix(zone) { rest = rest.dropLast(zone.count) }
        return rest == "-01-01" || rest == "-01-01T00:00:00" || rest == "-01-01T00:00"
    }

    /// The date of a production timespan; problems are recorded with the boundary's path.
    private mutating func date(_ span: LinkedArtNode) -> DateRange? {
        let text = span.nodes("identified_by").first { $0.type == "Name" }?.content ?? span.label
        let beginKey = span.object["begin_of_the_begin"] != nil ? "begin_of_the_begin" : "end_of_the_begin"
        let endKey = span.object["end_of_the_end"] != nil ? "end_of_the_end" : "begin_of_the_end"
        var years: [String: Int] = [:]
        for key in [beginKey, endKey] {
            guard let raw = span.object[key] else { continue }
            let field = "\(span.path).\(key)"
            guard let s = raw.string, let parsed = Self.parseYear(s) else {
                drop(field, "must be an xsd:dateTime text; imported without a date")
                return nil
            }
            guard case let .year(y) = parsed else {
                drop(field, "'\(s)' is not an xsd:dateTime; imported without a date")
                return nil
            }
            guard DateRange.plausibleYears.contains(y) else {
                drop(field, "year \(y) is outside the plausible range \(DateRange.plausibleYears.lowerBound) to "
                    + "\(DateRange.plausibleYears.upperBound); imported without a date")
                return nil
            }
            years[key] = y
        }
        let reading = text.map(CatalogueDateReader.read)
        guard let begin = years[beginKey] ?? years[endKey] else {
            // Only a display text: read it like a catalogue date.
            switch reading {
            case let .range(r)?: return r
            case let .unusable(message)?:
                drop(span.path, message)
                return nil
            default: return nil
            }
        }
        var end = years[endKey] ?? begin
        if let endText = span.object[endKey]?.string, end > begin, Self.isStartOfYear(endText) { end -= 1 }
        guard begin <= end else {
            drop(span.path, "begins in \(begin) but ends in \(end); imported without a date")
            return nil
        }
        var circa = false
        if case let .range(r)? = reading { circa = r.isCirca }
        let display = text ?? (begin == end ? String(begin) : "\(begin)–\(end)")
        return DateRange(text: display, startYear: begin, endYear: end, isCirca: circa)
    }

    // MARK: - Images, pages and rights

    private func rightsText(_ rights: [LinkedArtNode]) -> String? {
        for right in rights {
            for type in right.nodes("classified_as") {
                switch (type.displayName, type.id) {
                case let (label?, id?): return "\(label) (\(id))"
                case let (label?, nil): return label
                case let (nil, id?): return id
                default: continue
                }
            }
            if let label = right.displayName { return label }
        }
        return nil
    }

    private func images(_ doc: LinkedArtNode) -> [ImageReference] {
        var result: [ImageReference] = []
        func add(_ location: String, iiif: Bool, licence: String?) {
            var loc = location
            if iiif, loc.hasSuffix("/info.json") { loc = String(loc.dropLast("/info.json".count)) }
            let reference = ImageReference(kind: iiif ? .iiif : .url, location: loc, licence: licence)
            if !result.contains(where: { $0.location == reference.location }) { result.append(reference) }
        }
        func conformsToIIIF(_ node: LinkedArtNode) -> Bool {
            node.nodes("conforms_to").contains { ($0.id ?? "").contains("iiif.io/api/image") }
                || node.object["conforms_to"]?.string?.contains("iiif.io/api/image") == true
        }
        for visual in doc.nodes("representation") {
            let visualLicence = rightsText(visual.nodes("subject_to"))
            let digitals = visual.nodes("digitally_shown_by")
            for digital in digitals {
                let licence = rightsText(digital.nodes("subject_to")) ?? visualLicence
                for point in digital.nodes("access_point") {
                    if let id = point.id { add(id, iiif: conformsToIIIF(digital), licence: licence) }
                }
            }
            if digitals.isEmpty {
                // Older documents: the representation (or its access points) is the image itself.
                let points = visual.nodes("access_point").compactMap(\.id)
                for id in points { add(id, iiif: conformsToIIIF(visual), licence: visualLicence) }
                if points.isEmpty, let id = visual.id {
                    let format = visual.object["format"]?.string?.lowercased() ?? ""
                    if format.hasPrefix("image/") || conformsToIIIF(visual) {
                        add(id, iiif: conformsToIIIF(visual), licence: visualLicence)
                    }
                }
            }
        }
        return result
    }

    /// The object's home page: a `subject_of` text classified as a web page, carried by a digital object.
    private func homePage(_ doc: LinkedArtNode) -> String? {
        for text in doc.nodes("subject_of") {
            let carriers = text.nodes("digitally_carried_by")
            for carrier in carriers where text.isClassified(as: LinkedArtVocabulary.webPage)
                || carrier.isClassified(as: LinkedArtVocabulary.webPage) {
                if let url = carrier.nodes("access_point").compactMap(\.id).first { return url }
            }
            if carriers.isEmpty, text.isClassified(as: LinkedArtVocabulary.webPage), let id = text.id,
               id.hasPrefix("http") {
                return id
            }
        }
        return nil
    }
}
