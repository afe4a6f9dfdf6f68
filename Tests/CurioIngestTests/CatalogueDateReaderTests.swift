import CurioCore
import Testing
@testable import CurioIngest

@Suite("Reading catalogue dates in importers")
struct CatalogueDateReaderTests {
    @Test("readable dates", arguments: [
        ("1850", 1850, 1850, false),
        ("c. 1850–60", 1845, 1865, true),
        ("1850-05-12", 1850, 1850, false),
        ("1850/05/12", 1850, 1850, false),
        ("12/05/1850", 1850, 1850, false),
        ("12.05.1850", 1850, 1850, false),
        ("1850-05", 1850, 1850, false),
        ("1850-60", 1850, 1860, false),
        ("1800s", 1800, 1899, false),
        ("1920s", 1920, 1929, false),
        ("early 1300s", 1300, 1399, false),
        ("probably 19th century", 1796, 1905, true),
        ("mid-19th century", 1801, 1900, false),
        ("late 19th century", 1801, 1900, false),
        ("possibly 1650", 1645, 1655, true),
        ("ca. 50–40 BCE", -55, -35, true),
    ])
    func reads(text: String, start: Int, end: Int, circa: Bool) {
        guard case let .range(r) = CatalogueDateReader.read(text) else {
            Issue.record("'\(text)' was not read")
            return
        }
        #expect(r.startYear == start)
        #expect(r.endYear == end)
        #expect(r.isCirca == circa)
        #expect(r.text == text)
    }

    @Test("no date given", arguments: ["", "  ", "date not known", "undated", "n.d."])
    func absent(text: String) {
        #expect(CatalogueDateReader.read(text) == .absent)
    }

    @Test("unusable dates", arguments: [
        ("30000", "30000"), ("c. 30000", "30000"), ("2999", "2999"), ("60000 BCE", "-60000"),
        ("spring of 1899", "could not be read"), ("Ming dynasty, 1368", "could not be read"),
    ])
    func unusable(text: String, words: String) {
        guard case let .unusable(message) = CatalogueDateReader.read(text) else {
            Issue.record("'\(text)' should be unusable")
            return
        }
        #expect(message.contains(words))
    }
}

@Suite("Minted identifiers")
struct MintedIDTests {
    @Test("slugs", arguments: [
        ("Pierre-Auguste Renoir", "pierre-auguste-renoir"),
        ("Müller, Jörg", "muller-jorg"),
        ("  J. M. W. Turner ", "j-m-w-turner"),
        ("葛飾北斎", "葛飾北斎"),
        ("Boyd & Sons", "boyd-sons"),
        ("???", ""),
    ])
    func slugs(text: String, slug: String) {
        #expect(MintedID.slug(text) == slug)
    }

    @Test func mintsNamespacedIDs() {
        #expect(MintedID.agent(source: "paintings", name: "Titian") == "paintings:agent:titian")
        #expect(MintedID.agent(source: "paintings", name: "—") == nil)
        #expect(MintedID.concept(source: "nmw", scheme: .subject, path: ["People", "Adults"]) == "nmw:subject:people/adults")
        #expect(MintedID.concept(source: "nmw", scheme: .movement, path: ["Art Nouveau"]) == "nmw:movement:art-nouveau")
        #expect(MintedID.concept(source: "nmw", scheme: .subject, path: ["ok", "!!"]) == nil)
        #expect(MintedID.slug(String(repeating: "a", count: 500)).count == MintedID.maximumSlugLength)
    }
}
