import Testing
@testable import CurioCore

@Suite("Parsing catalogue dates")
struct DateParserTests {
    @Test("common Tate forms", arguments: [
        ("1850", 1850, 1850, false),
        ("c.1850", 1845, 1855, true),
        ("c. 1850–60", 1845, 1865, true),
        ("1893–4", 1893, 1894, false),
        ("1850–1860", 1850, 1860, false),
        ("1920s", 1920, 1929, false),
        ("?1803", 1798, 1808, true),
        ("published 1850", 1850, 1850, false),
        ("exhibited 1812", 1812, 1812, false),
        ("after c.1810", 1805, 1815, true),
        ("1935, printed 1978", 1935, 1935, false),
        ("1850 or 1851", 1850, 1851, false),
        ("1899–1901", 1899, 1901, false),
        ("1898–02", 1898, 1902, false),
        ("ca. 50–40 BCE", -55, -35, true),
        ("19th century", 1801, 1900, false),
        ("1850-05-12", 1850, 1850, false),
        ("1850-05", 1850, 1850, false),
        ("1800s", 1800, 1899, false),
        ("c.1920s", 1915, 1934, true),
    ])
    func parses(text: String, start: Int, end: Int, circa: Bool) throws {
        let range = try #require(DateParser.parse(text))
        #expect(range.startYear == start)
        #expect(range.endYear == end)
        #expect(range.isCirca == circa)
        #expect(range.text == text)
    }

    @Test("unknown and absurd dates give nothing", arguments: ["date not known", "no date", "", "   ", "90000", "year 90000"])
    func rejects(text: String) {
        #expect(DateParser.parse(text) == nil)
    }

    @Test func centuriesAndDecades() throws {
        let r = try #require(DateParser.parse("1850"))
        #expect(r.century == 19)
        #expect(r.decade == 1850)
        #expect(DateParser.parse("1900")?.century == 19)
        #expect(DateParser.parse("1901")?.century == 20)
    }
}
