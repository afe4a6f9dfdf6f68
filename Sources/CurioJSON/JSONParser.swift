import Foundation

/// A strict RFC 8259 JSON reader over UTF-8 bytes, producing ``JSONValue``.
///
/// One reader for everything Curio parses: catalogue exports (the whole Tate dump is ~125 MB of JSON Lines), Linked
/// Art documents, event files, request bodies, venue and policy files. It is several times faster than
/// `JSONSerialization` on Linux (whose bridged containers cost more to convert than the parse itself) and it says
/// exactly where a problem is.
///
/// It rejects everything RFC 8259 does not allow — comments, trailing commas, single quotes, leading zeros, control
/// characters in strings — and tells invalid UTF-8 (``JSONSyntaxError/Kind/encoding``, so that a Latin-1 export is
/// recognised as such) apart from grammar errors. A leading byte-order mark is ignored, as the RFC permits. Escaped
/// lone surrogates become U+FFFD. Nesting is limited so that hostile input cannot exhaust the stack.
public struct JSONParser {
    /// The default nesting limit: deeper than any catalogue record or request Curio reads.
    public static let defaultMaximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Parses exactly one JSON value, surrounded by optional whitespace.
    /// - Parameter maximumDepth: deepest nesting of arrays and objects accepted.
    /// - Throws: ``JSONSyntaxError``.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = defaultMaximumDepth) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes.bindMemory(to: UInt8.self), maximumDepth: maximumDepth)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index < parser.bytes.count { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// Parses a whole file's or body's bytes.
    public static func parse(_ data: Data, maximumDepth: Int = defaultMaximumDepth) throws(JSONSyntaxError) -> JSONValue {
        try withRawBytes(data) { raw throws(JSONSyntaxError) in try parse(raw, maximumDepth: maximumDepth) }
    }

    /// Parses a byte collection, for example one line from a line reader.
    public static func parse<C: Collection>(_ bytes: C, maximumDepth: Int = defaultMaximumDepth) throws(JSONSyntaxError) -> JSONValue
        where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            Result { () throws(JSONSyntaxError) in try parse(UnsafeRawBufferPointer(buffer), maximumDepth: maximumDepth) }
        }) {
            return try result.get()
        }
        return try parse(Array(bytes), maximumDepth: maximumDepth)
    }

    /// Parses text.
    public static func parse(_ text: String, maximumDepth: Int = defaultMaximumDepth) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8), maximumDepth: maximumDepth)
    }

    private static func withRawBytes<T>(_ data: Data, _ body: (UnsafeRawBufferPointer) throws(JSONSyntaxError) -> T) throws(JSONSyntaxError) -> T {
        let result = data.withUnsafeBytes { raw in Result { () throws(JSONSyntaxError) in try body(raw) } }
        return try result.get()
    }

    // MARK: Errors

    private func failure(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        let at = min(offset ?? index, bytes.count)
        if at < bytes.count, bytes[at] >= 0x80, Self.firstInvalidUTF8(bytes) != nil { return encodingFailure() }
        return error(.syntax, at: at, reason)
    }

    private func encodingFailure() -> JSONSyntaxError {
        let at = Self.firstInvalidUTF8(bytes) ?? index
        let byte = at < bytes.count ? String(format: "0x%02X", bytes[at]) : "end of input"
        return error(.encoding, at: at, "invalid UTF-8 (byte \(byte))")
    }

    private func error(_ kind: JSONSyntaxError.Kind, at offset: Int, _ reason: String) -> JSONSyntaxError {
        var line = 1, column = 1
        for i in 0..<offset {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONSyntaxError(kind: kind, offset: offset, line: line, column: column, reason: reason)
    }

    // MARK: Grammar

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            let c = bytes[index]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw failure("the text ends where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case let c: throw failure("unexpected \(Self.show(c)) where a value was expected")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let p = word.utf8Start
        for i in 0..<n {
            guard index + i < bytes.count else { throw failure("the text ends inside '\(word)'", at: bytes.count) }
            if bytes[index + i] != p[i] { throw failure("unexpected \(Self.show(bytes[index + i])); expected '\(word)'", at: index + i) }
        }
        index += n
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > maximumDepth { throw failure("nesting deeper than \(maximumDepth) levels") }
        index += 1
        var result: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(result)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a member name in double quotes, found \(Self.show(bytes[index]))")
            }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an object") }
            guard bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after the member name \"\(key)\"") }
            index += 1
            skipWhitespace()
            // The last duplicate wins, as in most JSON readers.
            result[key] = try value(depth: depth)
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(result)
            default: throw failure("expected ',' or '}' in an object, found \(Self.show(bytes[index]))")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > maximumDepth { throw failure("nesting deeper than \(maximumDepth) levels") }
        index += 1
        var result: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(result)
        }
        while true {
            skipWhitespace()
            result.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(result)
            default: throw failure("expected ',' or ']' in an array, found \(Self.show(bytes[index]))")
            }
        }
    }

    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("invalid number: a digit must follow '-'") }
        var magnitude = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) { throw failure("numbers cannot start with 0", at: start) }
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                if digits < 15 { magnitude = magnitude * 10 + Int(bytes[index] &- 0x30) }
                digits += 1
                index += 1
            }
        }
        // Up to 15 digits, an integer is exact in a Double: skip the text conversion (the common case).
        var integral = digits <= 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("invalid number: digits must follow '.'") }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("invalid number: digits must follow the exponent") }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if integral { return Double(negative ? -magnitude : magnitude) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw failure("the number \(text) is out of range", at: start) }
        return d
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        var ascii = true
        // Fast path: no escapes.
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let s = String(validating: slice, as: UTF8.self) else { throw encodingFailure() }
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw failure("control character \(Self.show(c)) in a string (it must be escaped)") }
            if c >= 0x80 { ascii = false }
            index += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw encodingFailure() }
                return s
            }
            if c < 0x20 { throw failure("control character \(Self.show(c)) in a string (it must be escaped)") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                Self.appendUTF8(scalar, to: &out)
            default:
                throw failure("invalid escape '\\\(Self.show(e, quoted: false))' in a string", at: index - 2)
            }
        }
        throw failure("a string is never closed (missing '\"')", at: start - 1)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x41 + 10)
            default: throw failure("invalid hex digit \(Self.show(c)) in a \\u escape")
            }
            v = v * 16 + d
            index += 1
        }
        return v
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `'x'` for printable ASCII, `byte 0x01` otherwise.
    private static func show(_ c: UInt8, quoted: Bool = true) -> String {
        guard c >= 0x20 && c < 0x7F else { return String(format: "byte 0x%02X", c) }
        let s = String(UnicodeScalar(c))
        return quoted ? "'\(s)'" : s
    }

    private static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// The offset of the first byte that is not part of a valid UTF-8 sequence, or nil when all are valid.
    public static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}
