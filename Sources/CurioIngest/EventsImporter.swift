import CurioJSON
import CurioCore
import CurioStore
import Foundation

/// Imports visitor events (`curio ingest --format events PATH…`) from CSV/TSV or JSON Lines.
///
/// - CSV/TSV (`.csv`, `.tsv`, `.tab`): a header naming the columns `visitor,item,kind,value,timestamp,session`
///   and optionally `room,device` (any order, any letter case; other columns are ignored). `visitor`, `item`,
///   `kind` and `timestamp` are required.
/// - JSON Lines (`.jsonl`, `.ndjson`, or `.json`): one object per line with the same keys; a `.json` file may
///   instead hold one JSON array of such objects. Ids may be strings or numbers.
///
/// Files may be gzipped. Timestamps are ISO 8601 or Unix seconds (``Timestamp``); kinds are ``CurioCore/EventKind``
/// names or one of the synonyms in ``kindSynonyms``. Each event is checked with
/// ``CurioCore/Event/validationProblem(now:futureTolerance:)``; an invalid event is skipped and reported with its
/// file, line and field. The importer does not know the catalogue: events naming unknown items are reported by the
/// ingestor (``RecordProblem/Kind/unknownItem``), and exact duplicates are dropped by the store.
///
/// A file is checked completely before its first chunk reaches the sink, so a file-level error (a missing header
/// column, invalid UTF-8, an unterminated quote, a truncated gzip) leaves the store unchanged. Large files are
/// read twice (a checking pass, then a delivering pass) so memory stays bounded.
public struct EventsImporter: Importer {
    /// `--format events`.
    public static let formatName = "events"
    /// The current time for the future-timestamp check; nil reads the clock when a file is imported.
    public var now: Date?
    /// How far ahead of `now` a timestamp may be (clock skew between devices).
    public var futureTolerance: TimeInterval
    /// Events per chunk handed to the sink (one transaction each).
    public var batchSize: Int
    /// Files up to this size are parsed once and kept in memory; larger files are read twice.
    public var singlePassLimit: Int

    /// Makes an importer; the defaults suit `curio ingest`, tests pass a fixed `now`.
    public init(now: Date? = nil, futureTolerance: TimeInterval = 300, batchSize: Int = 10_000,
                singlePassLimit: Int = 32 << 20) {
        self.now = now
        self.futureTolerance = futureTolerance
        self.batchSize = max(1, batchSize)
        self.singlePassLimit = singlePassLimit
    }

    /// Other names accepted for event kinds (case-insensitive; `_` and spaces count as `-`).
    public static let kindSynonyms: [String: EventKind] = [
        "rating": .rate, "rated": .rate, "stars": .rate, "score": .rate,
        "liked": .like, "favourite": .like, "favorite": .like, "fav": .like, "heart": .like, "love": .like,
        "viewed": .view, "open": .view, "opened": .view, "seen": .view,
        "dwelled": .dwell, "dwell-time": .dwell, "dwelltime": .dwell, "linger": .dwell,
        "scanned": .scan, "qr": .scan, "qr-scan": .scan, "nfc": .scan,
        "shared": .share,
        "skipped": .skip,
        "disliked": .dislike,
        "beaconenter": .beaconEnter, "enter": .beaconEnter, "entered": .beaconEnter,
        "beaconleave": .beaconLeave, "leave": .beaconLeave, "left": .beaconLeave, "exit": .beaconLeave,
        "exited": .beaconLeave,
    ]

    /// The kind named by `text` (an ``EventKind`` raw value or a synonym), or nil.
    public static func kind(named text: String) -> EventKind? {
        let key = String(text.importTrimmed.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
        return EventKind(rawValue: key) ?? kindSynonyms[key]
    }

    /// The `.csv`, `.tsv`, `.tab`, `.jsonl`, `.ndjson` and `.json` files (also gzipped) below `url`, or `url` itself.
    public func inputFiles(under url: URL) throws -> [URL] {
        try ImportInput.files(at: url, extensions: ["csv", "tsv", "tab", "jsonl", "ndjson", "json"])
    }

    /// Imports every event file at `url`, one file at a time, in chunks of ``batchSize`` events.
    /// - Throws: ``IngestError`` for file-level problems (see the type's documentation).
    public func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws {
        for file in try inputFiles(under: url) {
            let clock = now ?? Date()
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? Int.max
            if size <= singlePassLimit {
                var events: [Event] = []
                var problems: [RecordProblem] = []
                try scan(file, now: clock) { event, problem in
                    if let event { events.append(event) }
                    if let problem { problems.append(problem) }
                }
                var start = 0
                repeat {
                    let end = min(events.count, start + batchSize)
                    let last = end >= events.count
                    try sink(ImportChunk(file: file.path, events: Array(events[start..<end]),
                                         problems: last ? problems : [], completesFile: last))
                    start = end
                } while start < events.count
            } else {
                // Checking pass: any file-level error is thrown before the sink sees anything.
                try scan(file, now: clock) { _, _ in }
                var events: [Event] = []
                var problems: [RecordProblem] = []
                try scan(file, now: clock) { event, problem in
                    if let event { events.append(event) }
                    if let problem { problems.append(problem) }
                    if events.count >= batchSize {
                        try sink(ImportChunk(file: file.path, events: events, problems: problems, completesFile: false))
                        events.removeAll(keepingCapacity: true)
                        problems.removeAll()
                    }
                }
                try sink(ImportChunk(file: file.path, events: events, problems: problems, completesFile: true))
            }
        }
    }

    /// Parses one file, calling `emit` with each valid event or each problem, in file order.
    /// - Throws: ``IngestError`` for file-level problems, or what `emit` throws.
    public func scan(_ file: URL, now: Date, emit: (Event?, RecordProblem?) throws -> Void) throws {
        if ImportInput.hasExtension(file, in: ["csv", "tsv", "tab"]) {
            try scanDelimited(file, now: now, emit: emit)
        } else if ImportInput.hasExtension(file, in: ["json"]), try startsWithArray(file) {
            try scanArray(file, now: now, emit: emit)
        } else {
            try scanLines(file, now: now, emit: emit)
        }
    }

    // MARK: - Formats

    /// The columns (CSV) or keys (JSON) of an event.
    enum Field: String, CaseIterable {
        case visitor, item, kind, value, timestamp, session, room, device
        static let required: [Field] = [.visitor, .item, .kind, .timestamp]
        var index: Int {
            switch self {
            case .visitor: 0
            case .item: 1
            case .kind: 2
            case .value: 3
            case .timestamp: 4
            case .session: 5
            case .room: 6
            case .device: 7
            }
        }
    }

    /// One event's values as read, before checking.
    struct RawEvent {
        private var values = [RawValue?](repeating: nil, count: Field.allCases.count)
        subscript(_ field: Field) -> RawValue? {
            get { values[field.index] }
            set { values[field.index] = newValue }
        }
    }

    private func scanDelimited(_ file: URL, now: Date, emit: (Event?, RecordProblem?) throws -> Void) throws {
        var index: [Int?]?
        try DelimitedTextReader(url: file).forEachRecord { record in
            guard let columns = index else {
                var found = [Int?](repeating: nil, count: Field.allCases.count)
                for (k, name) in record.fields.enumerated() {
                    if let field = Field(rawValue: name.importTrimmed.lowercased()), found[field.index] == nil {
                        found[field.index] = k
                    }
                }
                let missing = Field.required.filter { found[$0.index] == nil }.map(\.rawValue)
                if !missing.isEmpty {
                    throw IngestError.malformed(
                        path: file.path, line: record.line,
                        reason: "the header has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column"
                            + (missing.count > 1 ? "s" : "") + "; expected visitor,item,kind,value,timestamp,session"
                            + "[,room,device]")
                }
                index = found
                return
            }
            if let defect = record.defect {
                try emit(nil, RecordProblem(file: file.path, line: defect.line,
                                            message: "column \(defect.column): \(defect.message); event skipped"))
                return
            }
            var raw = RawEvent()
            for field in Field.allCases {
                guard let k = columns[field.index], k < record.fields.count else { continue }
                let v = record.fields[k].importTrimmed
                if !v.isEmpty { raw[field] = .text(v) }
            }
            try emitEvent(raw, file: file, line: record.line, now: now, emit: emit)
        }
        if index == nil {
            throw IngestError.malformed(path: file.path, line: nil,
                                        reason: "the file is empty; expected a header row "
                                            + "visitor,item,kind,value,timestamp,session")
        }
    }

    private func scanLines(_ file: URL, now: Date, emit: (Event?, RecordProblem?) throws -> Void) throws {
        try ImportInput.forEachLine(file) { number, bytes in
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            let object: JSONValue
            do {
                object = try JSONParser.parse(bytes)
            } catch let error as JSONSyntaxError {
                try emit(nil, RecordProblem(file: file.path, line: number,
                                            message: "is not valid JSON (column \(error.column): \(error.reason)); "
                                                + "event skipped"))
                return
            }
            try emitObject(object, file: file, line: number, now: now, emit: emit)
        }
    }

    private func scanArray(_ file: URL, now: Date, emit: (Event?, RecordProblem?) throws -> Void) throws {
        let data = try ImportInput.readData(file)
        let array: [JSONValue]
        do {
            guard let a = try JSONParser.parse(data).array else {
                throw IngestError.malformed(path: file.path, line: nil, reason: "expected a JSON array of events")
            }
            array = a
        } catch let error as JSONSyntaxError {
            throw IngestError.syntax(path: file.path, line: error.line, column: error.column,
                                     reason: "not valid JSON: \(error.reason)")
        }
        for (k, object) in array.enumerated() {
            try emitObject(object, file: file, line: k + 1, now: now, emit: emit)
        }
    }

    private func startsWithArray(_ file: URL) throws -> Bool {
        var answer = false
        do {
            try ImportInput.forEachLine(file) { _, bytes in
                guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0xEF
                    && $0 != 0xBB && $0 != 0xBF }) else { return }
                answer = first == UInt8(ascii: "[")
                throw StopScanning()
            }
        } catch is StopScanning {}
        return answer
    }

    private struct StopScanning: Error {}

    // MARK: - Events

    /// A value as read: text from CSV, text or number from JSON.
    enum RawValue {
        case text(String)
        case number(Double, String)

        var text: String {
            switch self {
            case let .text(s): s
            case let .number(_, s): s
            }
        }
    }

    private func emitObject(_ object: JSONValue, file: URL, line: Int, now: Date,
                            emit: (Event?, RecordProblem?) throws -> Void) throws {
        guard let dict = object.object else {
            try emit(nil, RecordProblem(file: file.path, line: line,
                                        message: "is not a JSON object with visitor, item, kind and timestamp; "
                                            + "event skipped"))
            return
        }
        var raw = RawEvent()
        for field in Field.allCases {
            let name = field.rawValue
            switch dict[name] {
            case let .string(s)?:
                let t = s.importTrimmed
                if !t.isEmpty { raw[field] = .text(t) }
            case let .number(n)?:
                raw[field] = .number(n, JSONValue.text(of: n))
            case nil, .null?:
                break
            default:
                try emit(nil, RecordProblem(file: file.path, line: line, field: name,
                                            message: "must be a string or a number; event skipped"))
                return
            }
        }
        try emitEvent(raw, file: file, line: line, now: now, emit: emit)
    }

    private func emitEvent(_ raw: RawEvent, file: URL, line: Int, now: Date,
                           emit: (Event?, RecordProblem?) throws -> Void) throws {
        func skip(_ field: String, _ message: String) throws {
            let record = raw[.visitor].map { v in raw[.item].map { "\(v.text) → \($0.text)" } ?? v.text }
            try emit(nil, RecordProblem(file: file.path, line: line, record: record, field: field,
                                        message: message + "; event skipped"))
        }
        for field in Field.required where raw[field] == nil {
            try skip(field.rawValue, "is missing")
            return
        }
        guard let visitor = raw[.visitor]?.text, let item = raw[.item]?.text, let kindText = raw[.kind]?.text,
              let stamp = raw[.timestamp] else { return }
        for (name, value) in [("item", item), ("session", raw[.session]?.text), ("room", raw[.room]?.text),
                              ("device", raw[.device]?.text)] {
            if let value, value.count > RecordLimits.standard.identifier {
                try skip(name, "is longer than \(RecordLimits.standard.identifier) characters")
                return
            }
        }
        guard let kind = Self.kind(named: kindText) else {
            try skip("kind", "'\(kindText)' is not an event kind; kinds are "
                + EventKind.allCases.map(\.rawValue).joined(separator: ", ") + " (see docs/importers.md for synonyms)")
            return
        }
        let timestamp: Date?
        switch stamp {
        case let .number(n, _): timestamp = Timestamp.fromUnix(n)
        case let .text(s): timestamp = Timestamp.parse(s)
        }
        guard let timestamp else {
            try skip("timestamp", "'\(stamp.text)' is not an ISO 8601 date-time or a Unix time in seconds")
            return
        }
        var value: Double?
        switch raw[.value] {
        case let .number(n, _)?: value = n
        case let .text(s)?:
            guard let n = Double(s) else {
                try skip("value", "'\(s)' is not a number")
                return
            }
            value = n
        case nil: break
        }
        let event = Event(visitor: VisitorID(visitor), item: ItemID(item), kind: kind, value: value,
                          timestamp: timestamp, session: raw[.session]?.text, room: raw[.room]?.text,
                          device: raw[.device]?.text)
        if let problem = event.validationProblem(now: now, futureTolerance: futureTolerance) {
            try skip(problem.field, problem.message)
            return
        }
        try emit(event, nil)
    }

}
