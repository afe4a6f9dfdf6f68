import Foundation
import Testing
@testable import CurioIngest

@Suite("Parsing JSON for the Tate importer")
struct TateJSONParserTests {
    private func parse(_ text: String) throws -> TateJSON {
        try TateJSONParser.parse(Data(text.utf8))
    }

    private func parse(bytes: [UInt8]) throws -> TateJSON {
        try bytes.withUnsafeBytes { try TateJSONParser.parse($0) }
    }

    @Test func readsEveryKindOfValue() throws {
        let v = try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null, "x"], "b": {"c": {}}, "d": [], "e": 0} "#)
        #expect(v["a"] == .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null, .string("x")]))
        #expect(v["b"]?["c"] == .object(TateJSONObject()))
        #expect(v["d"] == .array([]))
        #expect(v["e"]?.int == 0)
        #expect(v["missing"] == nil)
        #expect(v.object?.keys == ["a", "b", "d", "e"])
    }

    @Test func decodesEscapesAndUnicode() throws {
        let v = try parse(#"["tab\there", "quote \" slash \/ back \\", "\u00e9t\u00E9", "\ud83c\udfa8", "lone \ud800 x", "1762–1787"]"#)
        #expect(v.array?.compactMap(\.string) == ["tab\there", "quote \" slash / back \\", "été", "🎨", "lone \u{FFFD} x", "1762–1787"])
    }

    @Test func largeIntegersBecomeDoubles() throws {
        let v = try parse("[123456789012345678901234, -9007199254740993]")
        #expect(v.array?.first?.double == 123456789012345678901234.0)
        #expect(v.array?.last?.int == -9007199254740993)
    }

    @Test("syntax errors say what and where", arguments: [
        ("{\"a\": 1,}", 8, "member name"),
        ("{\"a\" 1}", 5, "':'"),
        ("[1, 2", 5, "end of input"),
        ("[01]", 1, "start with 0"),
        ("tru", 0, "end of input"),
        ("nul!", 0, "expected null"),
        ("\"abc", 0, "unterminated"),
        ("{} x", 3, "after the JSON value"),
        ("[1.]", 3, "digits must follow"),
        ("\"a\u{01}b\"", 2, "control character"),
        ("\"bad \\q escape\"", 5, "invalid escape"),
        ("", 0, "end of input"),
    ])
    func syntaxErrors(text: String, offset: Int, message: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let e = error as? TateJSONError else { return false }
            return e.kind == .syntax && e.offset == offset && e.message.contains(message)
        }
    }

    @Test func latin1TextIsAnEncodingErrorAtTheBadByte() {
        // "Café" in Latin-1: 0xE9 is not valid UTF-8.
        let bytes: [UInt8] = Array(#"{"title": "Caf"#.utf8) + [0xE9] + Array(#""}"#.utf8)
        #expect {
            _ = try parse(bytes: bytes)
        } throws: { error in
            guard let e = error as? TateJSONError else { return false }
            return e.kind == .encoding && e.offset == 14 && e.message.contains("0xE9")
        }
    }

    @Test func invalidUTF8OutsideStringsIsAlsoAnEncodingError() {
        let bytes: [UInt8] = [0x5B, 0xFF, 0x5D]
        #expect {
            _ = try parse(bytes: bytes)
        } throws: { error in
            (error as? TateJSONError)?.kind == .encoding
        }
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect {
            _ = try parse(deep)
        } throws: { error in
            (error as? TateJSONError)?.message.contains("nesting") == true
        }
        #expect(throws: Never.self) { _ = try parse(String(repeating: "[", count: 60) + String(repeating: "]", count: 60)) }
    }

    @Test func utf8ValidatorFindsTheFirstBadSequence() {
        func check(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { TateJSONParser.firstInvalidUTF8($0) } }
        #expect(check(Array("plain ascii é 🎨".utf8)) == nil)
        #expect(check([0x61, 0xC3]) == 1)              // truncated sequence
        #expect(check([0x61, 0xC0, 0x80]) == 1)        // overlong
        #expect(check([0xED, 0xA0, 0x80]) == 0)        // surrogate
        #expect(check([0x61, 0x62, 0x80]) == 2)        // stray continuation byte
        #expect(check([0xF4, 0x90, 0x80, 0x80]) == 0)  // beyond U+10FFFF
    }
}
