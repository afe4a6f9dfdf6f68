import CurioCore
import CurioIngest
import CurioKit
import CurioNeural
import CurioStore
import Foundation
import Testing

/// A baseline, uncompressed RGB TIFF of one colour (written by hand so tests need no image encoder).
enum SolidTIFF {
    static func bytes(width: Int = 16, height: Int = 16, red: UInt8, green: UInt8, blue: UInt8) -> Data {
        var out = Data()
        func u16(_ v: Int) { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8 & 0xFF)) }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        let entries: [(tag: Int, type: Int, count: Int, value: Int)] = [
            (256, 3, 1, width), (257, 3, 1, height), (258, 3, 3, 134), (259, 3, 1, 1), (262, 3, 1, 2),
            (273, 4, 1, 140), (277, 3, 1, 3), (278, 3, 1, height), (279, 4, 1, width * height * 3), (284, 3, 1, 1),
        ]
        out.append(contentsOf: Array("II".utf8)); u16(42); u32(8)
        u16(entries.count)
        for e in entries {
            u16(e.tag); u16(e.type); u32(e.count)
            if e.type == 3 && e.count == 1 { u16(e.value); u16(0) } else { u32(e.value) }
        }
        u32(0)                              // no next IFD; the IFD ends at 8 + 2 + 120 + 4 = 134
        u16(8); u16(8); u16(8)              // BitsPerSample at 134
        for _ in 0..<(width * height) { out.append(contentsOf: [red, green, blue]) }   // pixels at 140
        return out
    }

    static func write(to url: URL, hex: String) throws {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        try bytes(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF)).write(to: url)
    }
}

@Suite("Item image embeddings, visual descriptors and filters", .serialized)
struct ImageEmbeddingTests {
    /// The installed image encoder, loaded once (run `make models` if this fails).
    static let encoder: Result<ImageEncoder, any Error> = Result { try ImageEncoder.installed() }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Collection {
        let curio: Curio
        let folder: URL
        func image(_ name: String) -> URL { folder.appendingPathComponent(name) }
    }

    /// Items: navy (file path), yellow (file path), white (found in an image folder by id), one with only a URL,
    /// one without any image.
    func collection() throws -> Collection {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-images-\(UUID().uuidString)")
        let keyed = folder.appendingPathComponent("keyed")
        try FileManager.default.createDirectory(at: keyed, withIntermediateDirectories: true)
        try SolidTIFF.write(to: folder.appendingPathComponent("navy.tif"), hex: "#000080")
        try SolidTIFF.write(to: folder.appendingPathComponent("yellow.tif"), hex: "#F2DC40")
        try SolidTIFF.write(to: keyed.appendingPathComponent("P3.tif"), hex: "#FFFFFF")
        let curio = try Curio.create(at: folder.appendingPathComponent("curio.db").path)
        let items = [
            Item(id: "P1", source: "test", title: "Nocturne in navy",
                 images: [ImageReference(kind: .file, location: folder.appendingPathComponent("navy.tif").path)]),
            Item(id: "P2", source: "test", title: "Sunflowers in yellow",
                 images: [ImageReference(kind: .file, location: folder.appendingPathComponent("yellow.tif").path)]),
            Item(id: "P3", source: "test", title: "Study in white"),
            Item(id: "P4", source: "test", title: "Remote only",
                 images: [ImageReference(kind: .url, location: "https://example.org/p4.jpg")]),
            Item(id: "P5", source: "test", title: "No image at all"),
        ]
        _ = try curio.store.write(RecordBatch(items: items))
        curio.useImageEncoder(try Self.encoder.get())
        return Collection(curio: curio, folder: folder)
    }

    @Test func embeddingStoresUnitVectorsWithFileHashesAndIsIncremental() throws {
        let c = try collection()
        defer { try? FileManager.default.removeItem(at: c.folder) }
        var reported: [(Int, Int)] = []
        let first = try c.curio.embedImages(imageFolder: c.folder.appendingPathComponent("keyed")) { reported.append(($0, $1)) }
        #expect(first.model == "efficientnet-lite0@0.1.0" && first.model == ImageEmbedding.modelID)
        #expect(first.items == 5 && first.withImage == 3 && first.embedded == 3 && first.unchanged == 0)
        #expect(first.remoteOnly == 1 && first.withoutImage == 1 && first.failed == 0 && first.problems.isEmpty)
        #expect(reported.first! == (0, 3) && reported.last! == (3, 3))

        let store = try #require(c.curio.store as? any ItemVectorStore)
        let set = try store.vectors(model: ImageEmbedding.modelID)
        #expect(set.items == ["P1", "P2", "P3"] && set.dimension == 1280)
        for row in 0..<set.count {
            let norm = (0..<1280).reduce(Float(0)) { $0 + set.values[row * 1280 + $1] * set.values[row * 1280 + $1] }
            #expect(Swift.abs(norm - 1) < 1e-4)
        }
        let hashes = try store.vectorHashes(model: ImageEmbedding.modelID)
        #expect(hashes["P1"] == (try SHA256.hash(fileAt: c.image("navy.tif").path).hex))
        #expect(hashes["P3"] == (try SHA256.hash(fileAt: c.image("keyed/P3.tif").path).hex))

        // Nothing changed: nothing is decoded or stored again.
        let revision = try store.vectorRevision(model: ImageEmbedding.modelID)
        let again = try c.curio.embedImages(imageFolder: c.folder.appendingPathComponent("keyed"))
        #expect(again.embedded == 0 && again.unchanged == 3)
        #expect(try store.vectorRevision(model: ImageEmbedding.modelID) == revision)

        // A changed file is re-embedded, alone.
        try SolidTIFF.write(to: c.image("yellow.tif"), hex: "#D42020")
        let changed = try c.curio.embedImages(imageFolder: c.folder.appendingPathComponent("keyed"))
        #expect(changed.embedded == 1 && changed.unchanged == 2)
        #expect(try c.curio.visualDescriptors(of: "P2")?.descriptors.colourNames.first == "red")
    }

    @Test func corruptImageIsReportedByFileAndItemAndStoredVectorsSurvive() throws {
        let c = try collection()
        defer { try? FileManager.default.removeItem(at: c.folder) }
        #expect(try c.curio.embedImages().embedded == 2)   // P1, P2 (no image folder: P3 has no image)
        let store = try #require(c.curio.store as? any ItemVectorStore)
        let before = try store.vectors(model: ImageEmbedding.modelID)

        // P1's file is truncated and P3 names a file that does not exist.
        let navy = try Data(contentsOf: c.image("navy.tif"))
        try navy.prefix(200).write(to: c.image("navy.tif"))
        var item3 = try #require(try c.curio.item("P3"))
        item3.images = [ImageReference(kind: .file, location: c.image("gone.jpg").path)]
        _ = try c.curio.store.write(RecordBatch(items: [item3]))

        var warnings: [ImageProblem] = []
        let run = try c.curio.embedImages(warning: { warnings.append($0) })
        #expect(run.failed == 2 && run.embedded == 0 && run.unchanged == 1)
        #expect(warnings == run.problems)
        let truncated = try #require(warnings.first { $0.item == "P1" })
        #expect(truncated.file == c.image("navy.tif").path)
        #expect(truncated.description.contains("navy.tif") && truncated.description.contains("P1"))
        let missing = try #require(warnings.first { $0.item == "P3" })
        #expect(missing.file.hasSuffix("gone.jpg") && missing.message.contains("does not exist"))
        // The earlier vector of P1 and its descriptors are kept; P2 is untouched.
        #expect(try store.vectors(model: ImageEmbedding.modelID) == before)
        #expect(try c.curio.visualDescriptors(of: "P1") != nil)
    }

    @Test func descriptorsAreStoredAndVisualFiltersSelectItems() throws {
        let c = try collection()
        defer { try? FileManager.default.removeItem(at: c.folder) }
        _ = try c.curio.embedImages(imageFolder: c.folder.appendingPathComponent("keyed"))

        let navy = try #require(try c.curio.visualDescriptors(of: "P1"))
        #expect(navy.descriptors.palette.map(\.name) == ["navy"])
        #expect(navy.descriptors.palette.first?.hex == "#000080")
        #expect(navy.brightnessLevel == .dark && navy.image == c.image("navy.tif").path)
        #expect(try c.curio.visualDescriptors(of: "P2")?.brightnessLevel == .bright)
        #expect(try c.curio.visualDescriptors(of: "P4") == nil)
        #expect(try c.curio.paletteSimilarity("P1", "P1") == 1)
        let far = try #require(try c.curio.paletteSimilarity("P1", "P2"))
        #expect(far < 0.5)

        // A photo is matched to the work with the nearest image embedding (the guide's `/image PATH`).
        try SolidTIFF.bytes(width: 40, height: 30, red: 0, green: 0, blue: 0x80).write(to: c.image("photo.tif"))
        let nearest = try c.curio.itemsNearest(toImageAt: c.image("photo.tif").path, k: 3)
        #expect(nearest.map(\.item).first == "P1" && nearest.count == 3)
        #expect(nearest[0].score > 0.99 && nearest[0].score >= nearest[1].score)
        let guide = GuideService(curio: c.curio, visits: VisitService(curio: c.curio))
        #expect(try guide.imageMatcher?(c.image("photo.tif")) == "P1")
        try Data([0xFF, 0xD8, 0xFF]).write(to: c.image("broken.jpg"))
        #expect(throws: CurioServiceError.self) { try guide.imageMatcher?(c.image("broken.jpg")) }

        func ids(_ filter: VisualSearchFilter) throws -> Set<ItemID> { try c.curio.items(matching: filter) }
        #expect(try ids(VisualSearchFilter(colour: "blue")) == ["P1"], "navy belongs to the blue family")
        #expect(try ids(VisualSearchFilter(colour: "navy")) == ["P1"])
        #expect(try ids(VisualSearchFilter(colour: "yellow")) == ["P2"])
        #expect(try ids(VisualSearchFilter(brightness: .bright)) == ["P2", "P3"])
        #expect(try ids(VisualSearchFilter(colour: "yellow", brightness: .dark)).isEmpty)
        #expect(try ids(VisualSearchFilter(colourfulness: .muted)) == ["P3"], "white has no colour")

        // Listing applies the same filter in SQL, and pages over the matches.
        let listed = try c.curio.items(ItemQuery(visual: VisualSearchFilter(brightness: .bright).storeFilter, pageSize: 1))
        #expect(listed.total == 2 && listed.items.map(\.id) == ["P2"])
        let blue = try c.curio.items(ItemQuery(source: "test", visual: VisualSearchFilter(colour: "blue").storeFilter))
        #expect(blue.items.map(\.id) == ["P1"])

        // Search applies the filter before cutting to k.
        let dark = try c.curio.search("in", mode: .lexical, limit: 10, visual: VisualSearchFilter(brightness: .dark))
        #expect(dark.results.map(\.item.id) == ["P1"])
        let all = try c.curio.search("in", mode: .lexical, limit: 10)
        #expect(all.results.count == 3)

        #expect(throws: CurioServiceError.badInput(field: "colour", reason: "'mauvish' is not a colour Curio names; use one of black, dark grey, grey, light grey, white, red, dark red, pink, magenta, orange, brown, beige, ochre, yellow, olive, green, dark green, teal, turquoise, sky blue, blue, navy, purple, lavender")) {
            try VisualSearchFilter.parse(colour: "mauvish", brightness: nil, colourfulness: nil)
        }
        #expect(throws: CurioServiceError.self) { try VisualSearchFilter.parse(colour: nil, brightness: "dim", colourfulness: nil) }
        #expect(try VisualSearchFilter.parse(colour: "Gray", brightness: "DARK", colourfulness: nil)
            == VisualSearchFilter(colour: "gray", brightness: .dark))
    }

    @Test func demoPaintingsSampleParsesAndEveryImageExists() throws {
        let folder = Self.repository.appendingPathComponent("data/sample/paintings")
        let parsed = try PaintingsImporter().parse(folder.appendingPathComponent("metadata.jsonl"))
        #expect(parsed.items.count == 300)
        #expect(parsed.problems.filter { $0.kind != .fieldDropped }.isEmpty, "\(parsed.problems.prefix(3))")
        let resolver = try ItemImageResolver()
        var makers: [String: Int] = [:]
        var centuries = Set<Int>()
        for item in parsed.items {
            guard case let .file(path) = resolver.location(of: item) else {
                Issue.record("no local image for \(item.id)")
                continue
            }
            #expect(path.hasPrefix(folder.path) && path.hasSuffix("\(item.id).jpg"))
            #expect(item.images.contains { $0.kind == .url }, "the original's URL is recorded")
            #expect(item.rights?.hasPrefix("Public domain") == true || item.rights?.hasPrefix("CC0") == true)
            if let maker = item.makers.first?.name { makers[maker, default: 0] += 1 }
            if let year = item.date?.startYear { centuries.insert(year / 100) }
        }
        #expect(makers.count >= 50 && makers.values.allSatisfy { $0 >= 3 })
        #expect(centuries.count >= 5)
        // Identifiers cannot collide with Tate accession numbers (a letter and five digits).
        #expect(parsed.items.allSatisfy { $0.id.rawValue.contains("-") })
        let bytes = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("images").path)
            .reduce(0) { total, name in
                total + ((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("images/\(name)").path)[.size] as? Int) ?? 0)
            }
        #expect(bytes < 6_000_000)
    }
}
