import CurioCore
import CurioKit
import CurioStore
import Foundation
import Testing

/// Visual descriptors in `GET /v1/items/{id}` and the visual filters of `GET /v1/search`.
@Suite struct VisualRoutesTests {
    /// A one-colour baseline RGB TIFF.
    static func solidTIFF(hex: UInt32, width: Int = 8, height: Int = 8) -> Data {
        var out = Data()
        func u16(_ v: Int) { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8 & 0xFF)) }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        let entries: [(Int, Int, Int, Int)] = [
            (256, 3, 1, width), (257, 3, 1, height), (258, 3, 3, 134), (259, 3, 1, 1), (262, 3, 1, 2),
            (273, 4, 1, 140), (277, 3, 1, 3), (278, 3, 1, height), (279, 4, 1, width * height * 3), (284, 3, 1, 1),
        ]
        out.append(contentsOf: Array("II".utf8)); u16(42); u32(8); u16(entries.count)
        for (tag, type, count, value) in entries {
            u16(tag); u16(type); u32(count)
            if type == 3 && count == 1 { u16(value); u16(0) } else { u32(value) }
        }
        u32(0); u16(8); u16(8); u16(8)
        for _ in 0..<(width * height) { out.append(contentsOf: [UInt8(hex >> 16 & 0xFF), UInt8(hex >> 8 & 0xFF), UInt8(hex & 0xFF)]) }
        return out
    }

    @Test func itemShowsItsPaletteAndSearchFiltersByColourAndBrightness() throws {
        let server = try TestServer()
        // N00001 gets a navy image, N00003 a yellow one (both have "sea" in their titles).
        let navy = server.folder.appendingPathComponent("navy.tif"), yellow = server.folder.appendingPathComponent("yellow.tif")
        try Self.solidTIFF(hex: 0x000080).write(to: navy)
        try Self.solidTIFF(hex: 0xF2DC40).write(to: yellow)
        var first = Fixture.items[0], third = Fixture.items[2]
        first.images.append(ImageReference(kind: .file, location: navy.path))
        third.images.append(ImageReference(kind: .file, location: yellow.path))
        _ = try server.curio.store.write(RecordBatch(items: [first, third]))

        // Before `embed`: no visual block; the item response is cached …
        #expect(try server.client.get("/v1/items/N00001").object["visual"] == nil)
        let summary = try server.curio.embedImages()
        #expect(summary.embedded == 2)
        // … and never served stale afterwards.
        let item = try server.client.get("/v1/items/N00001").object
        let visual = try #require(item["visual"] as? [String: Any])
        let palette = try #require(visual["palette"] as? [[String: Any]])
        #expect(palette.first?["name"] as? String == "navy" && palette.first?["hex"] as? String == "#000080")
        #expect(palette.first?["share"] as? Double == 1)
        #expect(visual["brightness_level"] as? String == "dark")
        #expect(visual["colour_names"] as? [String] == ["navy"])

        func ids(_ query: String) throws -> [String] {
            let response = try server.client.get("/v1/search?q=sea&mode=lexical&" + query)
            #expect(response.status == 200, "\(response.text)")
            return (response.object["results"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["id"] as? String }
        }
        #expect(Set(try ids("")) == ["N00001", "N00003"])
        #expect(try ids("colour=blue") == ["N00001"])
        #expect(try ids("colour=yellow&brightness=bright") == ["N00003"])
        #expect(try ids("colour=yellow&brightness=dark").isEmpty)

        let listed = try server.client.get("/v1/items?colour=navy&source=tate").object
        #expect(listed["total"] as? Int == 1)
        #expect((listed["items"] as? [[String: Any]])?.first?["id"] as? String == "N00001")
        #expect(try server.client.get("/v1/items?colourfulness=muted").object["total"] as? Int == 0)
        #expect(try server.client.get("/v1/items?brightness=medium").status == 200)
        #expect(try server.client.get("/v1/items?brightness=glowing").status == 400)

        let bad = try server.client.get("/v1/search?q=sea&colour=bleu&brightness=dim")
        #expect(bad.status == 400)
        let errors = bad.object["errors"] as? [[String: Any]] ?? []
        #expect(errors.compactMap { $0["parameter"] as? String }.sorted() == ["brightness", "colour"])
        #expect((errors.first { $0["parameter"] as? String == "colour" }?["detail"] as? String)?.contains("'bleu' is not a colour") == true)
    }
}
