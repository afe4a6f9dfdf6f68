/// An RDF term as it appears in N-Triples.
public enum RDFTerm: Hashable, Sendable, CustomStringConvertible {
    case iri(String)
    case blank(String)
    /// A literal with its lexical form, and either a language tag or a datatype IRI (or neither for `xsd:string`).
    case literal(String, language: String?, datatype: String?)

    /// The term in N-Triples syntax, escaped as the specification requires.
    public var description: String {
        switch self {
        case let .iri(i): "<" + NTriples.escapeIRI(i) + ">"
        case let .blank(b): "_:" + b
        case let .literal(v, lang, dt):
            "\"" + NTriples.escapeLiteral(v) + "\"" + (lang.map { "@" + $0 } ?? "") + (dt.map { "^^<" + NTriples.escapeIRI($0) + ">" } ?? "")
        }
    }
}

/// One RDF triple.
public struct RDFTriple: Hashable, Sendable, CustomStringConvertible {
    public var subject: RDFTerm
    public var predicate: String
    public var object: RDFTerm
    public init(_ subject: RDFTerm, _ predicate: String, _ object: RDFTerm) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }
    /// The triple as one N-Triples line (without the line break).
    public var description: String { "\(subject) <\(NTriples.escapeIRI(predicate))> \(object) ." }
}

/// N-Triples (W3C RDF 1.1) serialisation and parsing.
public enum NTriples {
    /// Escapes a literal's lexical form: `\t \b \n \r \f \" \\` as ECHAR, other control characters
    /// (U+0000–U+001F, U+007F) as `\uXXXX`; everything else is written as UTF-8.
    public static func escapeLiteral(_ s: String) -> String {
        var needs = false
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C || u == 0x7F { needs = true; break }
        guard needs else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0C}": out += "\\f"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let h = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Escapes characters not allowed inside `<…>` (controls, space, `<>"{}|^`\`) as `\uXXXX`.
    public static func escapeIRI(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 <= 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x7B || $0 == 0x7D
            || $0 == 0x7C || $0 == 0x5E || $0 == 0x60 || $0 == 0x5C }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(scalar) {
                let h = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Parses one line of N-Triples.
    ///
    /// - Returns: the triple, or nil for a blank or comment-only line.
    /// - Throws: ``GraphError/malformedTriple(file:line:reason:)`` naming `file`, `line` and the column.
    public static func parseLine<Bytes: RandomAccessCollection>(_ bytes: Bytes, file: String, line: Int) throws -> RDFTriple?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var p = LineParser(bytes: Array(bytes), file: file, line: line)
        return try p.parse()
    }

    /// Parses a whole N-Triples document held in memory.
    public static func parse(_ text: String, file: String = "<string>") throws -> [RDFTriple] {
        var out: [RDFTriple] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Array(line.utf8)
            if bytes.last == 0x0D { bytes.removeLast() }
            if let t = try parseLine(bytes, file: file, line: lineNumber) { out.append(t) }
        }
        return out
    }
}

/// A hand-written recursive-descent parser for one N-Triples line.
private struct LineParser {
    let bytes: [UInt8]
    let file: String
    let line: Int
    var i = 0

    init(bytes: [UInt8], file: String, line: Int) {
        self.bytes = bytes
        self.file = file
        self.line = line
    }

    func fail(_ reason: String) -> GraphError {
        .malformedTriple(file: file, line: line, reason: "column \(i + 1): \(reason)")
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    }

    var atEndOrComment: Bool { i >= bytes.count || bytes[i] == 0x23 }

    mutating func parse() throws -> RDFTriple? {
        skipSpace()
        if atEndOrComment { return nil }
        let subject: RDFTerm
        switch bytes[i] {
        case 0x3C: subject = .iri(try iri())
        case 0x5F: subject = .blank(try blank())
        default: throw fail("expected a subject (<IRI> or _:blank)")
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x3C else { throw fail("expected a predicate <IRI>") }
        let predicate = try iri()
        skipSpace()
        guard i < bytes.count else { throw fail("expected an object") }
        let object: RDFTerm
        switch bytes[i] {
        case 0x3C: object = .iri(try iri())
        case 0x5F: object = .blank(try blank())
        case 0x22: object = try literal()
        default: throw fail("expected an object (<IRI>, _:blank or \"literal\")")
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x2E else { throw fail("expected '.' at the end of the triple") }
        i += 1
        skipSpace()
        guard atEndOrComment else { throw fail("unexpected text after '.'") }
        return RDFTriple(subject, predicate, object)
    }

    mutating func iri() throws -> String {
        i += 1  // <
        var out = [UInt8]()
        while true {
            guard i < bytes.count else { throw fail("unterminated IRI (missing '>')") }
            let b = bytes[i]
            if b == 0x3E { i += 1; break }
            if b == 0x5C {
                guard i + 1 < bytes.count, bytes[i + 1] == 0x75 || bytes[i + 1] == 0x55 else {
                    throw fail("only \\u and \\U escapes are allowed in IRIs")
                }
                appendScalar(try uchar(), to: &out)
                continue
            }
            if b <= 0x20 || b == 0x3C || b == 0x22 || b == 0x7B || b == 0x7D || b == 0x7C || b == 0x5E || b == 0x60 {
                throw fail("character 0x\(String(b, radix: 16)) is not allowed in an IRI")
            }
            out.append(b)
            i += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("IRI is not valid UTF-8") }
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { throw fail("'\(s)' is not an absolute IRI") }
        return s
    }

    mutating func blank() throws -> String {
        guard i + 1 < bytes.count, bytes[i + 1] == 0x3A else { throw fail("expected '_:' to start a blank node") }
        i += 2
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                || b == 0x2D || b == 0x2E || b >= 0x80
            if !ok { break }
            i += 1
        }
        // A label cannot end with '.', which then terminates the triple.
        while i > start, bytes[i - 1] == 0x2E { i -= 1 }
        guard i > start else { throw fail("empty blank node label") }
        guard bytes[start] != 0x2D, bytes[start] != 0x2E else { throw fail("blank node label cannot start with '-' or '.'") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func literal() throws -> RDFTerm {
        i += 1  // "
        var out = [UInt8]()
        while true {
            guard i < bytes.count else { throw fail("unterminated literal (missing closing quote)") }
            let b = bytes[i]
            if b == 0x22 { i += 1; break }
            if b == 0x0A || b == 0x0D { throw fail("raw line break inside a literal") }
            if b == 0x5C {
                guard i + 1 < bytes.count else { throw fail("dangling backslash in a literal") }
                let e = bytes[i + 1]
                switch e {
                case 0x74: out.append(0x09); i += 2
                case 0x62: out.append(0x08); i += 2
                case 0x6E: out.append(0x0A); i += 2
                case 0x72: out.append(0x0D); i += 2
                case 0x66: out.append(0x0C); i += 2
                case 0x22, 0x27, 0x5C: out.append(e); i += 2
                case 0x75, 0x55: appendScalar(try uchar(), to: &out)
                default: throw fail("unknown escape '\\\(Character(UnicodeScalar(e)))' in a literal")
                }
                continue
            }
            out.append(b)
            i += 1
        }
        guard let value = String(validating: out, as: UTF8.self) else { throw fail("literal is not valid UTF-8") }
        if i < bytes.count, bytes[i] == 0x40 {
            i += 1
            let start = i
            while i < bytes.count, (bytes[i] >= 0x41 && bytes[i] <= 0x5A) || (bytes[i] >= 0x61 && bytes[i] <= 0x7A)
                || (i > start && (bytes[i] == 0x2D || (bytes[i] >= 0x30 && bytes[i] <= 0x39))) { i += 1 }
            guard i > start, bytes[start] != 0x2D else { throw fail("empty or malformed language tag") }
            return .literal(value, language: String(decoding: bytes[start..<i], as: UTF8.self), datatype: nil)
        }
        if i + 1 < bytes.count, bytes[i] == 0x5E, bytes[i + 1] == 0x5E {
            i += 2
            guard i < bytes.count, bytes[i] == 0x3C else { throw fail("expected <datatype IRI> after '^^'") }
            return .literal(value, language: nil, datatype: try iri())
        }
        return .literal(value, language: nil, datatype: nil)
    }

    /// Reads `\uXXXX` or `\UXXXXXXXX` at `i`.
    mutating func uchar() throws -> UnicodeScalar {
        let long = bytes[i + 1] == 0x55
        let n = long ? 8 : 4
        guard i + 2 + n <= bytes.count else { throw fail("truncated \\\(long ? "U" : "u") escape") }
        var v: UInt32 = 0
        for k in 0..<n {
            guard let h = NodeIRIs.hexValue(bytes[i + 2 + k]) else { throw fail("bad hex digit in a \\u escape") }
            v = v << 4 | UInt32(h)
        }
        guard let s = UnicodeScalar(v) else { throw fail("\\u escape U+\(String(v, radix: 16)) is not a Unicode scalar") }
        i += 2 + n
        return s
    }

    func appendScalar(_ s: UnicodeScalar, to out: inout [UInt8]) {
        out.append(contentsOf: Array(String(Character(s)).utf8))
    }
}
