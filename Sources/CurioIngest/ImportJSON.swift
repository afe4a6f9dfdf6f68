import Foundation

/// A strict RFC 8259 JSON reader producing native Swift values, used by the JSON-based importers.
///
/// `JSONSerialization` on Linux returns bridged Foundation containers; turning them into Swift dictionaries costs
/// about five times as much as the parse itself (measured on Linked Art documents), and importers touch every
/// value. This reader builds ``Value`` directly. It rejects anything RFC 8259 does not allow (comments, trailing
/// commas, single quotes, control characters in strings, invalid UTF-8, lone surrogates) and limits nesting to
/// ``maximumDepth`` levels so hostile input cannot exhaust the stack.
enum ImportJSON {
    /// Deepest nesting of arrays and objects accepted.
    static let maximumDepth = 512

    /// A JSON value.
    indirect enum Value: Equatable, Sendable {
        case object([String: Value])
        case array([Value])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null

        var string: String? {
            if case let .string(s) = self { return s }
            return nil
        }

        var object: [String: Value]? {
            if case let .object(o) = self { return o }
            return nil
        }

        var array: [Value]? {
            if case let .array(a) = self { return a }
            return nil
        }

        var number: Double? {
            if case let .number(n) = self { return n }
            return nil
        }

        /// A number as text: integers without a fractional part (`11`, not `11.0`).
        static func text(of number: Double) -> String {
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
            return String(number)
        }
    }

    /// Where and why the text is not JSON.
    struct SyntaxError: Error, CustomStringConvertible, Equatable {
        /// 1-based line and column (in characters) within the parsed text.
        var line: Int
        var column: Int
        var reason: String
        var description: String { "line \(line), column \(column): \(reason)" }
    }

    /// Parses one JSON text (a leading UTF-8 byte-order mark is ignored).
    /// - Throws: ``SyntaxError``.
    static func parse<C: Collection>(_ bytes: C) throws -> Value where C.Element == UInt8 {
        let result = bytes.withContiguousStorageIfAvailable { buffer in Result { try parse(buffer) } }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { try parse($0) }
    }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Value {
        var reader = Reader(bytes: buffer)
        // RFC 8259 lets readers ignore a byte-order mark; spreadsheet and Windows tools write one.
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { reader.position = 3 }
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.position == buffer.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        func error(_ reason: String, at offset: Int? = nil) -> SyntaxError {
            let end = min(offset ?? position, bytes.count)
            var line = 1
            var column = 1
            for i in 0..<end {
                if bytes[i] == 0x0A {
                    line += 1
                    column = 1
                } else if bytes[i] & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return SyntaxError(line: line, column: column, reason: reason)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        func describe(_ b: UInt8) -> String {
            b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "byte 0x%02X", b)
        }

        mutating func value(depth: Int) throws -> Value {
            guard position < bytes.count else { throw error("the text ends where a value was expected") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case let b: throw error("unexpected \(describe(b)) where a value was expected")
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let n = word.utf8CodeUnitCount
            guard position + n <= bytes.count else { throw error("the text ends inside '\(word)'") }
            for k in 0..<n where bytes[position + k] != word.utf8Start[k] {
                throw error("unexpected \(describe(bytes[position + k])); expected '\(word)'", at: position + k)
            }
            position += n
        }

        mutating func object(depth: Int) throws -> Value {
            guard depth <= ImportJSON.maximumDepth else {
                throw error("objects and arrays are nested more than \(ImportJSON.maximumDepth) levels deep")
            }
            position += 1
            var result: [String: Value] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(result)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    if position >= bytes.count { throw error("the text ends inside an object") }
                    throw error("unexpected \(describe(bytes[position])); expected a quoted key")
                }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after the key \"\(key)\"")
                }
                position += 1
                skipWhitespace()
                result[key] = try value(depth: depth)
                skipWhitespace()
                guard position < bytes.count else { throw error("the text ends inside an object") }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(result)
                case let b: throw error("unexpected \(describe(b)); expected ',' or '}'")
                }
            }
        }

        mutating func array(depth: Int) throws -> Value {
            guard depth <= ImportJSON.maximumDepth else {
                throw error("objects and arrays are nested more than \(ImportJSON.maximumDepth) levels deep")
            }
            position += 1
            var result: [Value] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(result)
            }
            while true {
                skipWhitespace()
                result.append(try value(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw error("the text ends inside an array") }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(result)
                case let b: throw error("unexpected \(describe(b)); expected ',' or ']'")
                }
            }
        }

        mutating func number() throws -> Double {
            let start = position
            func digits() -> Int {
                let from = position
                while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
                return position - from
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 else {
                throw error("a number needs digits")
            }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
                if position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                    throw error("numbers cannot have leading zeros")
                }
            } else {
                _ = digits()
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw error("a decimal point must be followed by digits") }
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits() > 0 else { throw error("an exponent must have digits") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text) else { throw error("'\(text)' is not a number", at: start) }
            return value
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("the text ends inside a \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: throw error("\\u must be followed by four hexadecimal digits")
                }
                v = v << 4 | UInt32(d)
                position += 1
            }
            return v
        }

        mutating func string() throws -> String {
            let opening = position
            position += 1
            let start = position
            // Fast path: no escapes and plain ASCII.
            var ascii = true
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    if !ascii, let bad = ImportInput.firstInvalidUTF8(ArraySlice(slice)) {
                        throw error("invalid UTF-8 in a string", at: start + bad)
                    }
                    return String(decoding: slice, as: UTF8.self)
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw error("a control character (\(describe(b))) must be escaped inside a string") }
                if b >= 0x80 { ascii = false }
                position += 1
            }
            guard position < bytes.count else { throw error("a string is never closed", at: opening) }
            // Slow path with escapes.
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    position += 1
                    if let bad = ImportInput.firstInvalidUTF8(out[...]) {
                        throw error("invalid UTF-8 in a string (byte \(bad + 1) of the string)", at: opening)
                    }
                    return String(decoding: out, as: UTF8.self)
                }
                if b < 0x20 { throw error("a control character (\(describe(b))) must be escaped inside a string") }
                guard b == UInt8(ascii: "\\") else {
                    out.append(b)
                    position += 1
                    continue
                }
                position += 1
                guard position < bytes.count else { break }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("a \\u high surrogate must be followed by a low surrogate")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw error("a \\u high surrogate must be followed by a low surrogate")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("a \\u low surrogate without a high surrogate")
                    }
                    guard let s = Unicode.Scalar(scalar) else { throw error("\\u escape is not a character") }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default:
                    throw error("'\\\(Character(Unicode.Scalar(e)))' is not a JSON escape", at: position - 2)
                }
            }
            throw error("a string is never closed", at: opening)
        }
    }
}
