import Foundation
import Testing
@testable import CurioJSON

@Suite struct JSONWriterTests {
    func text(_ w: JSONWriter) -> String { String(decoding: w.bytes, as: UTF8.self) }

    @Test func commasSeparateMembersAndElementsAtEveryLevel() {
        var w = JSONWriter()
        w.beginObject()
        w.key("a"); w.number(1)
        w.key("b")
        w.beginArray()
        w.beginObject(); w.endObject()
        w.beginArray(); w.endArray()
        w.bool(true); w.null()
        w.endArray()
        w.key("c"); w.strings(["x", "y"])
        w.endObject()
        #expect(text(w) == #"{"a":1,"b":[{},[],true,null],"c":["x","y"]}"#)
    }

    @Test func stringsAreEscapedAsJSONRequiresAndReadBackUnchanged() throws {
        let samples = ["plain", "quote \" and backslash \\", "tab\tnew\nline\r", "\u{01}\u{1F}\u{08}\u{0C}",
                       "slash / stays", "Müller, 葛飾北斎 🎨", ""]
        for s in samples {
            var w = JSONWriter()
            w.string(s)
            #expect(try JSONParser.parse(Data(w.bytes)) == .string(s), "\(s.debugDescription)")
        }
        var w = JSONWriter()
        w.string("a\u{01}\"b/")
        #expect(text(w) == #""a\u0001\"b/""#)
    }

    @Test func numbersReadBackExactlyAndNonFiniteBecomesNull() throws {
        let doubles: [Double] = [0, -0.5, 1e-5, 0.1 + 0.2, 123_456_789.125, 1e300, -2.5e-300]
        for d in doubles {
            var w = JSONWriter()
            w.number(d)
            #expect(try JSONParser.parse(Data(w.bytes)).number == d)
        }
        let floats: [Float] = [0.1, 1e-7, 3.4e38, 0.333_333_34]
        for f in floats {
            var w = JSONWriter()
            w.number(f)
            #expect(Float(text(w)) == f)
        }
        var w = JSONWriter()
        w.beginArray(); w.number(Double.nan); w.number(-Float.infinity); w.number(42); w.endArray()
        #expect(text(w) == "[null,null,42]")
    }
}
