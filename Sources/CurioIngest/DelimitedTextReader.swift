import Foundation

/// One record (row) of a delimited text file.
public struct DelimitedRecord: Sendable, Equatable {
    /// The 1-based line the record starts on (a quoted field may continue over later lines).
    public var line: Int
    /// The fields, unquoted, with `""` turned into `"`; line breaks inside quoted fields become `\n`.
    public var fields: [String]
    /// Set when the record is broken but its extent is still clear (text after a closing quote):
    /// the caller should skip the record and report this.
    public var defect: Defect?

    /// A problem confined to one record.
    public struct Defect: Sendable, Equatable {
        /// 1-based line and character column of the defect.
        public var line: Int
        public var column: Int
        /// What is wrong, for a curator.
        public var message: String
    }
}

/// Reads comma- or tab-separated text as RFC 4180 records, from plain or gzip files.
///
/// - Fields may be quoted with `"`; inside quotes the delimiter, line breaks (LF or CRLF) and doubled quotes
///   (`""` for one `"`) are content. A quote inside an unquoted field is kept as text. Spaces before an opening
///   quote or after a closing quote are ignored (`a, "b, c" ,d` has the fields `a`, `b, c`, `d`).
/// - A UTF-8 byte-order mark at the start of the file is ignored; CRLF and LF line ends are both accepted.
/// - Lines that are completely empty are skipped.
/// - TSV files use the same quoting rules (as spreadsheet programs write them).
///
/// File-level errors are thrown as ``IngestError/syntax(path:line:column:reason:)``: a quoted field that is
/// never closed (reported where its quote opened) and bytes that are not UTF-8. Text after a closing quote only
/// spoils its own record and is reported through ``DelimitedRecord/defect``.
public struct DelimitedTextReader: Sendable {
    /// The file being read.
    public let url: URL
    /// The field separator (`,`, tab, `;` or `|`).
    public let delimiter: UInt8

    /// Makes a reader for `url`; with no delimiter given, `.tsv` and `.tab` files (also gzipped) use tab and
    /// everything else uses a comma.
    public init(url: URL, delimiter: UInt8? = nil) {
        self.url = url
        self.delimiter = delimiter ?? Self.defaultDelimiter(for: url)
    }

    /// Tab for `.tsv`/`.tab` (optionally `.gz`), comma otherwise.
    public static func defaultDelimiter(for url: URL) -> UInt8 {
        ImportInput.hasExtension(url, in: ["tsv", "tab"]) ? 0x09 : 0x2C
    }

    /// Calls `body` with each record in file order, the header row included.
    /// - Throws: ``IngestError`` for unreadable files, unterminated quotes and invalid UTF-8, or what `body` throws.
    public func forEachRecord(_ body: (DelimitedRecord) throws -> Void) throws {
        let path = url.path
        let quote: UInt8 = 0x22
        let delimiter = self.delimiter
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quoteLine = 0
        var quoteColumn = 0
        var recordLine = 0
        var defect: DelimitedRecord.Defect?

        try ImportInput.forEachLine(url) { number, rawLine in
            var line = rawLine
            if number == 1, line.count >= 3, line[line.startIndex] == 0xEF, line[line.startIndex + 1] == 0xBB,
               line[line.startIndex + 2] == 0xBF {
                line = line.dropFirst(3)
            }
            if let bad = ImportInput.firstInvalidUTF8(line) {
                let byte = String(line[line.startIndex + bad], radix: 16, uppercase: true)
                throw IngestError.syntax(
                    path: path, line: number, column: ImportInput.column(ofByte: bad, in: line),
                    reason: "byte 0x\(byte) is not valid UTF-8; the file is probably in another encoding "
                        + "(such as Windows-1252 or Latin-1): save it as UTF-8 and import it again")
            }
            if inQuotes {
                field.append(0x0A)
            } else {
                if line.isEmpty { return }
                recordLine = number
                fields.removeAll(keepingCapacity: true)
                field.removeAll(keepingCapacity: true)
                defect = nil
            }
            var i = line.startIndex
            let end = line.endIndex
            var atFieldStart = !inQuotes
            while i < end {
                let b = line[i]
                if inQuotes {
                    if b == quote {
                        let next = i + 1
                        if next < end, line[next] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        inQuotes = false
                        // After a closing quote only spaces, then a delimiter or the end of the line, may follow.
                        var after = next
                        while after < end, line[after] == 0x20, delimiter != 0x20 { after += 1 }
                        if after < end, line[after] != delimiter {
                            if defect == nil {
                                defect = .init(line: number,
                                               column: ImportInput.column(ofByte: after - line.startIndex, in: line),
                                               message: "text after the closing quote of a field; a quote inside a "
                                                   + "quoted field must be doubled (\"\")")
                            }
                            // Keep the rest of the field as text so the record's extent stays right.
                            i = next
                            while i < end, line[i] != delimiter {
                                field.append(line[i])
                                i += 1
                            }
                            continue
                        }
                        i = after
                        continue
                    }
                    field.append(b)
                    i += 1
                    continue
                }
                if b == delimiter {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    atFieldStart = true
                    i += 1
                    continue
                }
                if b == quote, atFieldStart, field.allSatisfy({ $0 == 0x20 }) {
                    // A quoted field, possibly after spaces (`a, "b, c"`): the spaces are not part of it.
                    field.removeAll(keepingCapacity: true)
                    inQuotes = true
                    quoteLine = number
                    quoteColumn = ImportInput.column(ofByte: i - line.startIndex, in: line)
                    atFieldStart = false
                    i += 1
                    continue
                }
                if b != 0x20 { atFieldStart = false }
                field.append(b)
                i += 1
            }
            if !inQuotes {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                try body(DelimitedRecord(line: recordLine, fields: fields, defect: defect))
            }
        }
        if inQuotes {
            throw IngestError.syntax(
                path: path, line: quoteLine, column: quoteColumn,
                reason: "the quoted field that starts here is never closed (the file ends inside it); "
                    + "add the missing closing quote, or double any quote inside the field (\"\")")
        }
    }
}
