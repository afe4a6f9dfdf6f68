import Foundation

/// How the columns of a CSV/TSV catalogue export map onto Curio's item fields (`curio ingest --format csv
/// --mapping FILE`). The mapping file is JSON; `docs/importers.md` documents it with an example.
///
/// ```json
/// {
///   "source": "harbour",
///   "columns": {
///     "id": "Object number",
///     "title": "Title",
///     "makers": {"column": "Maker", "separator": ";", "role_column": "Role"},
///     "date": "Date",
///     "subjects": {"column": "Subjects", "separator": "|", "hierarchy_separator": ">"}
///   },
///   "constants": {"rights": "CC0 1.0"}
/// }
/// ```
public struct ColumnMapping: Sendable, Equatable {
    /// An item field a column can fill. Raw values are the keys used in the mapping file.
    public enum Field: String, CaseIterable, Sendable {
        case id, title, description, makers, date, medium, classification, dimensions, height, width, depth
        case subjects, movements
        case creditLine = "credit_line"
        case acquisitionYear = "acquisition_year"
        case rights, url, image

        /// Options a field accepts besides `column`.
        var options: Set<String> {
            switch self {
            case .makers: ["separator", "role_column", "id_column", "role"]
            case .subjects, .movements: ["separator", "hierarchy_separator"]
            case .image: ["separator"]
            case .height, .width, .depth: ["unit"]
            default: []
            }
        }
    }

    /// A length unit for `height`, `width` and `depth` columns.
    public enum LengthUnit: String, CaseIterable, Sendable {
        case mm, cm, m
        case inches = "in"
        case feet = "ft"
        /// Millimetres in one unit.
        public var millimetres: Double {
            switch self {
            case .mm: 1
            case .cm: 10
            case .m: 1000
            case .inches: 25.4
            case .feet: 304.8
            }
        }
    }

    /// Where one field comes from, with its options.
    public struct Column: Sendable, Equatable {
        /// The header of the column.
        public var name: String
        /// Splits one cell into several values (`makers`, `subjects`, `movements`, `image`).
        public var separator: String?
        /// `makers`: a column with each maker's role, split by the same separator (one role applies to all).
        public var roleColumn: String?
        /// `makers`: a column with each maker's identifier in the source, split by the same separator.
        public var idColumn: String?
        /// `makers`: the role when none is given (default `artist`).
        public var defaultRole: String?
        /// `subjects`/`movements`: splits one value into a path from broad to narrow (`people > adults`).
        public var hierarchySeparator: String?
        /// `height`/`width`/`depth`: the unit of the numbers in the column.
        public var unit: LengthUnit?

        /// Makes a column; only the options the field accepts are allowed in mapping files.
        public init(name: String, separator: String? = nil, roleColumn: String? = nil, idColumn: String? = nil,
                    defaultRole: String? = nil, hierarchySeparator: String? = nil, unit: LengthUnit? = nil) {
            self.name = name
            self.separator = separator
            self.roleColumn = roleColumn
            self.idColumn = idColumn
            self.defaultRole = defaultRole
            self.hierarchySeparator = hierarchySeparator
            self.unit = unit
        }
    }

    /// The source name: becomes ``CurioCore/Item/source`` and the prefix of minted ids (`<source>:subject:<slug>`).
    /// Lowercase letters, digits, `-` and `_`, starting with a letter or digit.
    public var source: String
    /// Field separator; nil chooses by file extension (tab for `.tsv`/`.tab`, comma otherwise).
    public var delimiter: UInt8?
    /// A folder of images named after item ids (see ``ImageFolder``), relative to the data file;
    /// nil uses an `images` folder beside the data file when there is one.
    public var imageFolder: String?
    /// The column for each mapped field; `id` and `title` are required.
    public var columns: [Field: Column]
    /// Values used for a field on every row where its column is missing or the cell is empty.
    public var constants: [Field: String]
    /// The mapping file's path, used in error messages (nil for mappings built in code).
    public var path: String?

    /// Makes a mapping in code.
    /// - Throws: ``IngestError/badMapping(path:field:reason:)`` when it breaks a rule of the mapping file.
    public init(source: String, columns: [Field: Column], constants: [Field: String] = [:], delimiter: UInt8? = nil,
                imageFolder: String? = nil, path: String? = nil) throws {
        self.source = source
        self.columns = columns
        self.constants = constants
        self.delimiter = delimiter
        self.imageFolder = imageFolder
        self.path = path
        try validate()
    }

    /// Reads a mapping file.
    /// - Throws: ``IngestError/fileMissing(path:)``, or ``IngestError/badMapping(path:field:reason:)`` naming the
    ///   mapping field that is wrong.
    public static func load(from url: URL) throws -> ColumnMapping {
        guard FileManager.default.fileExists(atPath: url.path) else { throw IngestError.fileMissing(path: url.path) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw IngestError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path)
    }

    /// Parses mapping JSON; `path` names the file in errors.
    public static func parse(_ data: Data, path: String) throws -> ColumnMapping {
        func fail(_ field: String, _ reason: String) -> IngestError { .badMapping(path: path, field: field, reason: reason) }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw fail("(file)", "is not valid JSON (\(Self.jsonErrorText(error)))")
        }
        guard let top = json as? [String: Any] else { throw fail("(file)", "must be a JSON object") }
        let known: Set<String> = ["source", "delimiter", "image_folder", "columns", "constants"]
        for key in top.keys.sorted() where !known.contains(key) && !isComment(key) {
            throw fail(key, "is not a mapping setting; settings are \(known.sorted().joined(separator: ", "))")
        }
        guard let source = top["source"] else { throw fail("source", "is required: a short name for this collection") }
        guard let sourceText = source as? String else { throw fail("source", "must be a string") }

        var delimiter: UInt8?
        if let d = top["delimiter"] {
            switch d as? String {
            case ",": delimiter = 0x2C
            case ";": delimiter = 0x3B
            case "|": delimiter = 0x7C
            case "\t", "tab", "\\t": delimiter = 0x09
            default: throw fail("delimiter", "must be one of \",\", \";\", \"|\" or \"tab\"")
            }
        }
        var imageFolder: String?
        if let f = top["image_folder"] {
            guard let s = f as? String, !s.isEmpty else { throw fail("image_folder", "must be a folder path") }
            imageFolder = s
        }

        guard let columnsAny = top["columns"] else {
            throw fail("columns", "is required: an object from field names (id, title, …) to column headers")
        }
        guard let columnsObject = columnsAny as? [String: Any] else { throw fail("columns", "must be a JSON object") }
        var columns: [Field: Column] = [:]
        for key in columnsObject.keys.sorted() where !isComment(key) {
            let name = "columns.\(key)"
            guard let field = Field(rawValue: key) else {
                throw fail(name, "is not a field Curio knows; fields are "
                    + Field.allCases.map(\.rawValue).joined(separator: ", "))
            }
            columns[field] = try parseColumn(columnsObject[key] as Any, field: field, name: name, fail: fail)
        }

        var constants: [Field: String] = [:]
        if let c = top["constants"] {
            guard let object = c as? [String: Any] else { throw fail("constants", "must be a JSON object") }
            for key in object.keys.sorted() where !isComment(key) {
                let name = "constants.\(key)"
                guard let field = Field(rawValue: key) else {
                    throw fail(name, "is not a field Curio knows; fields are "
                        + Field.allCases.map(\.rawValue).joined(separator: ", "))
                }
                switch object[key] {
                case let s as String: constants[field] = s
                case let n as NSNumber: constants[field] = n.stringValue
                default: throw fail(name, "must be a string or a number")
                }
            }
        }
        return try ColumnMapping(source: sourceText, columns: columns, constants: constants, delimiter: delimiter,
                                 imageFolder: imageFolder, path: path)
    }

    private static func parseColumn(_ value: Any, field: Field, name: String,
                                    fail: (String, String) -> IngestError) throws -> Column {
        if let header = value as? String { return Column(name: header) }
        guard let object = value as? [String: Any] else {
            throw fail(name, "must be a column header or an object with \"column\"")
        }
        for key in object.keys.sorted() where key != "column" && !isComment(key) && !field.options.contains(key) {
            let allowed = field.options.isEmpty ? "only \"column\"" : "\"column\", "
                + field.options.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw fail("\(name).\(key)", "is not an option of \(field.rawValue); it takes \(allowed)")
        }
        func string(_ key: String) throws -> String? {
            guard let v = object[key] else { return nil }
            guard let s = v as? String else { throw fail("\(name).\(key)", "must be a string") }
            return s
        }
        guard let header = try string("column") else { throw fail("\(name).column", "is required: the column header") }
        var column = Column(name: header)
        column.separator = try string("separator")
        column.roleColumn = try string("role_column")
        column.idColumn = try string("id_column")
        column.defaultRole = try string("role")
        column.hierarchySeparator = try string("hierarchy_separator")
        if let unit = try string("unit") {
            guard let u = LengthUnit(rawValue: unit.lowercased()) else {
                throw fail("\(name).unit", "must be one of " + LengthUnit.allCases.map(\.rawValue).joined(separator: ", "))
            }
            column.unit = u
        }
        return column
    }

    private static func isComment(_ key: String) -> Bool { key.hasPrefix("_") || key.hasPrefix("$") }

    private static func jsonErrorText(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    /// Checks the rules every mapping must follow.
    private func validate() throws {
        let where_ = path ?? "(mapping)"
        func fail(_ field: String, _ reason: String) -> IngestError { .badMapping(path: where_, field: field, reason: reason) }
        guard let first = source.unicodeScalars.first, source.unicodeScalars.allSatisfy({
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }), ("a"..."z").contains(first) || ("0"..."9").contains(first), source.count <= 40 else {
            throw fail("source", "'\(source)' must be 1 to 40 lowercase letters, digits, '-' or '_', "
                + "starting with a letter or digit (it prefixes minted ids)")
        }
        guard columns[.id] != nil else {
            throw fail("columns.id", "is required: name the column holding each record's identifier")
        }
        guard columns[.title] != nil || constants[.title] != nil else {
            throw fail("columns.title", "is required: name the column holding each record's title")
        }
        if constants[.id] != nil {
            throw fail("constants.id", "cannot be a constant: every record needs its own identifier")
        }
        for (field, column) in columns {
            let name = "columns.\(field.rawValue)"
            if column.name.importTrimmed.isEmpty {
                throw fail("\(name).column", "must name a column header")
            }
            for (key, value) in [("separator", column.separator), ("hierarchy_separator", column.hierarchySeparator)] {
                if let v = value, v.isEmpty { throw fail("\(name).\(key)", "must not be empty") }
            }
            if [.height, .width, .depth].contains(field), column.unit == nil {
                throw fail("\(name).unit", "is required: the unit of the numbers (mm, cm, m, in or ft)")
            }
        }
        for field in [Field.height, .width, .depth] where constants[field] != nil && columns[field] == nil {
            throw fail("constants.\(field.rawValue)", "needs a column with a unit; measurements cannot be constants")
        }
    }

    /// Every column header the mapping refers to, with the mapping field that names it (`columns.makers.role_column`).
    var referencedColumns: [(field: String, header: String)] {
        var result: [(String, String)] = []
        for field in Field.allCases {
            guard let column = columns[field] else { continue }
            let name = "columns.\(field.rawValue)"
            result.append((name, column.name))
            if let r = column.roleColumn { result.append(("\(name).role_column", r)) }
            if let i = column.idColumn { result.append(("\(name).id_column", i)) }
        }
        return result
    }
}
