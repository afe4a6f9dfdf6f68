import CurioJSON
import Foundation
import Testing

@Suite("Reading JSON strictly")
struct JSONParserTests {
    private func parse(_ text: String, maximumDepth: Int = JSONParser.defaultMaximumDepth) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maximumDepth: maximumDepth)
    }

    private func error(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsEveryKindOfValue() throws {
        let v = try parse(#" {"a": [1, -2.5e2, 0, 3.5, true, false, null, "x"], "b": {"c": {}}, "d": [], "e": 0} "#)
        #expect(v["a"] == [1, -250, 0, 3.5, true, false, nil, "x"])
        #expect(v["b"]?["c"] == .object([:]))
        #expect(v["d"] == .array([]))
        #expect(v["e"]?.integer == 0)
        #expect(v["missing"] == nil)
        #expect(v.object?.keys.sorted() == ["a", "b", "d", "e"])
        #expect(try parse("\"naïve café\"") == "naïve café")
    }

    @Test func decodesEscapesAndUnicode() throws {
        let v = try parse(#"["tab\there", "quote \" slash \/ back \\", "\u00e9t\u00E9", "\ud83c\udfa8", "lone \ud800 x", "1762–1787", "\b\f\n\r"]"#)
        #expect(v.array?.compactMap(\.string) == ["tab\there", "quote \" slash / back \\", "été", "🎨", "lone \u{FFFD} x", "1762–1787", "\u{08}\u{0C}\n\r"])
    }

    @Test func integersAreExactUpTo2To53AndLargerNumbersStayNumbers() throws {
        let v = try parse("[9007199254740992, -123456789012345, 123456789012345678901234, 1.5]")
        #expect(v[0]?.integer == 9_007_199_254_740_992)
        #expect(v[1]?.integer == -123_456_789_012_345)
        #expect(v[2]?.number == 123456789012345678901234.0)
        #expect(v[2]?.integer == nil)
        #expect(v[3]?.integer == nil)
        #expect(JSONValue.text(of: 11) == "11")
        #expect(JSONValue.text(of: 1.5) == "1.5")
    }

    @Test("rejects what RFC 8259 does not allow, saying what and where", arguments: [
        ("{\"a\": 1,}", 8, "member name"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("[1, 2", 5, "ends inside an array"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("[01]", 1, "start with 0"),
        ("tru", 3, "ends inside 'true'"),
        ("nul!", 3, "expected 'null'"),
        ("\"abc", 0, "never closed"),
        ("{} x", 3, "after the JSON value"),
        ("[1.]", 3, "digits must follow '.'"),
        ("[1e]", 3, "exponent"),
        ("[-]", 2, "digit must follow '-'"),
        ("\"a\u{01}b\"", 2, "control character"),
        ("\"bad \\q escape\"", 5, "invalid escape"),
        ("{'a': 1}", 1, "double quotes"),
        ("// c\n1", 0, "where a value was expected"),
        ("", 0, "ends where a value was expected"),
        ("[1e999]", 1, "out of range"),
    ])
    func syntaxErrors(text: String, offset: Int, words: String) throws {
        let e = try #require(error(text), "'\(text)' was accepted")
        #expect(e.kind == .syntax)
        #expect(e.offset == offset, "\(e)")
        #expect(e.reason.contains(words), "\(e)")
    }

    @Test func reportsLineAndColumnInCharacters() throws {
        let e = try #require(error("{\n  \"é\": [1,\n  x]}"))
        #expect(e.line == 3)
        #expect(e.column == 3)
        #expect(e.description.hasPrefix("line 3, column 3: "))
    }

    @Test func latin1TextIsAnEncodingErrorAtTheBadByte() throws {
        // "Café" in Latin-1: 0xE9 is not valid UTF-8.
        let bytes: [UInt8] = Array(#"{"title": "Caf"#.utf8) + [0xE9] + Array(#""}"#.utf8)
        do {
            _ = try JSONParser.parse(bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .encoding)
            #expect(error.offset == 14)
            #expect(error.reason.contains("0xE9"))
        }
    }

    @Test func invalidUTF8OutsideStringsIsAlsoAnEncodingError() {
        do {
            _ = try JSONParser.parse([0x5B, 0xFF, 0x5D] as [UInt8])
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .encoding)
        }
    }

    @Test func nestingIsLimited() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect { _ = try parse(deep) } throws: { ($0 as? JSONSyntaxError)?.reason.contains("nesting") == true }
        #expect(throws: Never.self) { _ = try parse(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)) }
        #expect(throws: JSONSyntaxError.self) { _ = try parse("[[[1]]]", maximumDepth: 2) }
        #expect(throws: Never.self) { _ = try parse("[[[1]]]", maximumDepth: 3) }
    }

    @Test func aLeadingByteOrderMarkIsIgnored() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)) == ["a": 1])
    }

    @Test func theLastDuplicateMemberWins() throws {
        #expect(try parse(#"{"a": 1, "a": 2}"#)["a"] == 2)
    }

    @Test func agreesWithJSONSerializationOnRandomDocuments() throws {
        var rng = SplitMix(seed: 7)
        for _ in 0..<200 {
            let value = randomValue(&rng, depth: 0)
            let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
            let ours = try JSONParser.parse(data)
            #expect(ours == JSONValue(foundation: value), "\(String(decoding: data, as: UTF8.self))")
        }
    }

    @Test func utf8ValidatorFindsTheFirstBadSequence() {
        func check(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { JSONParser.firstInvalidUTF8($0) } }
        #expect(check(Array("plain ascii é 🎨".utf8)) == nil)
        #expect(check([0x61, 0xC3]) == 1)              // truncated sequence
        #expect(check([0x61, 0xC0, 0x80]) == 1)        // overlong
        #expect(check([0xED, 0xA0, 0x80]) == 0)        // surrogate
        #expect(check([0x61, 0x62, 0x80]) == 2)        // stray continuation byte
        #expect(check([0xF4, 0x90, 0x80, 0x80]) == 0)  // beyond U+10FFFF
    }

    @Test func valuesRoundTripThroughCodable() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": "d"]]
        let data = try JSONEncoder().encode(value)
        #expect(String(decoding: data, as: UTF8.self).contains("[1,2.5"))
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try JSONParser.parse(data) == value)
    }

    // MARK: Random documents

    private struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    private func randomValue(_ rng: inout SplitMix, depth: Int) -> Any {
        let pieces = ["a", "é", "\"", "\\", "\n", "🎨", "x y", "\u{01}", "/", "–"]
        switch depth > 3 ? rng.below(4) : rng.below(6) {
        case 0: return rng.below(2) == 0
        case 1: return Double(rng.below(2_000_001)) / 8 - 100_000
        case 2: return (0..<rng.below(5)).map { _ in pieces[rng.below(pieces.count)] }.joined()
        case 3: return NSNull()
        case 4: return (0..<rng.below(4)).map { _ in randomValue(&rng, depth: depth + 1) }
        default:
            var o: [String: Any] = [:]
            for _ in 0..<rng.below(4) { o[pieces[rng.below(pieces.count)] + String(rng.below(9))] = randomValue(&rng, depth: depth + 1) }
            return o
        }
    }
}

private extension JSONValue {
    init(foundation value: Any) {
        switch value {
        case is NSNull: self = .null
        case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init(foundation:)))
        case let a as [Any]: self = .array(a.map(JSONValue.init(foundation:)))
        case let s as String: self = .string(s)
        case let b as Bool: self = .bool(b)
        case let d as Double: self = .number(d)
        default: self = .null
        }
    }
}
