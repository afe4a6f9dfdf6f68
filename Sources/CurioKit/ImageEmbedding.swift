import CurioCore
import CurioImaging
import CurioIngest
import CurioMath
import CurioNeural
import CurioStore
import Foundation

/// Which embeddings `curio embed` computes.
public enum EmbedModality: String, Sendable, CaseIterable, Codable {
    /// Text embeddings of each item's canonical text (all-MiniLM-L6-v2).
    case text
    /// Image embeddings (EfficientNet-Lite0) and visual descriptors of each item's local image.
    case image
    /// Both (the default).
    case all
}

/// Where an item's image is, as far as embedding is concerned.
public enum ItemImageLocation: Sendable, Equatable {
    /// A local file to embed (absolute path).
    case file(String)
    /// The item names local files, but none exists (the first path named).
    case missing(String)
    /// The item only has URLs or IIIF references; Curio never fetches them (the first one).
    case remote(String)
    /// The item has no image.
    case none
}

/// Finds the local image file of an item: the first `.file` reference that exists (relative paths resolve against
/// `base`), else `<folder>/<id>.<jpg|jpeg|png|tif|tiff|webp>` in the image folder, when one is given.
public struct ItemImageResolver: Sendable {
    /// The folder of images keyed by item id (`curio embed --images DIR`), if any.
    public let folder: ImageFolder?
    /// What relative `.file` locations resolve against (default: the current directory).
    public let base: String

    /// - Throws: ``CurioIngest/IngestError/fileMissing(path:)`` when `folder` is given but does not exist.
    public init(folder: URL? = nil, base: String = FileManager.default.currentDirectoryPath) throws {
        self.folder = try folder.map { try ImageFolder(folder: $0) }
        self.base = base
    }

    /// Where the image of `item` is.
    public func location(of item: Item) -> ItemImageLocation {
        var firstMissing: String?
        for reference in item.images where reference.kind == .file {
            let path = reference.location.hasPrefix("/") ? reference.location
                : URL(fileURLWithPath: base).appendingPathComponent(reference.location).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return .file(path)
            }
            if firstMissing == nil { firstMissing = path }
        }
        if let found = folder?.image(for: item.id) { return .file(found.location) }
        if let firstMissing { return .missing(firstMissing) }
        if let remote = item.images.first(where: { $0.kind != .file }) { return .remote(remote.location) }
        return .none
    }
}

/// An image that could not be embedded; the run goes on and the item keeps what was stored before.
public struct ImageProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The item whose image it is.
    public var item: String
    /// The image file.
    public var file: String
    /// What went wrong, for a curator.
    public var message: String

    public var description: String { "\(file) (item \(item)): \(message)" }
}

/// What `embedImages` did.
public struct ImageEmbedSummary: Sendable, Codable, Equatable {
    /// The image model whose embeddings were computed (``ImageEmbedding/modelID``).
    public var model: String
    /// Items in the collection.
    public var items: Int
    /// Items with a local image file.
    public var withImage: Int
    /// Items (re-)embedded now.
    public var embedded: Int
    /// Items whose stored image embedding and descriptors were still current.
    public var unchanged: Int
    /// Items whose image could not be read or decoded (see ``problems``); what was stored for them is kept.
    public var failed: Int
    /// Items that only have image URLs or IIIF references: recorded, never fetched.
    public var remoteOnly: Int
    /// Items without any image.
    public var withoutImage: Int
    /// The images that failed, with the reason (at most 1,000 are listed).
    public var problems: [ImageProblem]
    /// Wall-clock seconds.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case model, items, withImage = "with_image", embedded, unchanged, failed, remoteOnly = "remote_only"
        case withoutImage = "without_image", problems, seconds
    }
}

/// Conventions of the stored image embeddings, for everyone who reads them through ``CurioStore/ItemVectorStore``.
public enum ImageEmbedding {
    /// The model id the image vectors are stored under: `efficientnet-lite0@0.1.0`
    /// (`ModelRegistry.efficientNetLite0.modelID`).
    public static var modelID: String { ModelRegistry.efficientNetLite0.modelID }
    /// 1280: EfficientNet-Lite0's globally average-pooled features (before the classifier).
    public static let dimension = EfficientNetLite0.featureCount
    /// Stored vectors are L2-normalised (unit length), so a dot product is the cosine similarity. The content
    /// hash is the SHA-256 (lower-case hex) of the image file's bytes.
    public static let isNormalised = true

    /// Scales `values` to unit length in place (all-zero vectors stay zero).
    static func normalise(_ values: inout [Float]) {
        var sum: Float = 0
        for v in values { sum += v * v }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for k in values.indices { values[k] *= scale }
    }
}

extension Curio {
    /// The image encoder (EfficientNet-Lite0), loaded once per `Curio` on first use.
    /// - Throws: ``NeuralError/modelMissing(name:hint:)`` when the model is not installed (exit 69).
    public func imageEncoder() throws -> ImageEncoder {
        try imageEncoding.encoder { try ImageEncoder.installed() }
    }

    /// Uses `encoder` for image embedding instead of loading the installed model.
    public func useImageEncoder(_ encoder: ImageEncoder) {
        imageEncoding.set(encoder)
    }

    /// The `k` items whose stored image embeddings are closest (cosine) to the image file at `path`, best first;
    /// empty when no image embeddings are stored (the model is then not loaded).
    /// - Throws: ``CurioImaging/ImagingError`` naming the file when it cannot be decoded;
    ///   ``NeuralError/modelMissing(name:hint:)`` when the model is not installed.
    public func itemsNearest(toImageAt path: String, k: Int) throws -> [(item: ItemID, score: Float)] {
        guard let vectors = store as? any ItemVectorStore else { return [] }
        let model = imageEncoding.modelID
        let revision = try vectors.vectorRevision(model: model)
        guard revision > 0, k > 0 else { return [] }
        let index = try imageEncoding.index(model: model, revision: revision) { try vectors.vectors(model: model) }
        guard index.index.count > 0 else { return [] }
        let p = ImageEncoder.preprocessing
        let image = try ImageLoader.modelInput.load(file: path, size: .shorterSide(p.shorterSide, centreCrop: p.cropSize))
        guard var query = try imageEncoder().features(for: [image]).first else { return [] }
        ImageEmbedding.normalise(&query)
        return index.index.search(query, k: k).map { (index.items[$0.index], $0.score) }
    }

    /// Embeds the local image of every item whose image file changed since it was last embedded, and stores, in
    /// one transaction per chunk, its L2-normalised 1280-d EfficientNet-Lite0 features under
    /// ``ImageEmbedding/modelID`` and its visual descriptors (palette, brightness, contrast, colourfulness), both
    /// with the SHA-256 of the file. Items whose stored vector and descriptors match the file's hash are skipped,
    /// so a second run only reads and hashes the files.
    ///
    /// Images are found by ``ItemImageResolver`` (per-item `.file` paths, then `imageFolder`); URLs and IIIF
    /// references are counted but never fetched. A file that cannot be read or decoded is reported in
    /// ``ImageEmbedSummary/problems`` and through `warning`; the run goes on and nothing stored is lost. The
    /// encoder is loaded only when some image needs embedding.
    /// - Parameters:
    ///   - imageFolder: a folder of images named by item id, used for items without an existing `.file` image.
    ///   - chunkSize: images decoded, encoded and committed together.
    ///   - progress: called with (images processed so far, images to process) after every chunk.
    ///   - warning: called once per image that could not be embedded.
    /// - Throws: ``NeuralError/modelMissing(name:hint:)`` when images need embedding and the model is not
    ///   installed; ``CurioIngest/IngestError`` when `imageFolder` does not exist; store errors.
    public func embedImages(imageFolder: URL? = nil, chunkSize: Int = 32,
                            progress: (Int, Int) -> Void = { _, _ in },
                            warning: (ImageProblem) -> Void = { _ in }) throws -> ImageEmbedSummary {
        let start = Date()
        guard let vectorStore = store as? any ItemVectorStore, let visualStore = store as? any ItemVisualStore else {
            throw TextSearchError.vectorsUnsupported
        }
        let resolver = try ItemImageResolver(folder: imageFolder)
        let model = imageEncoding.modelID
        var summary = ImageEmbedSummary(model: model, items: 0, withImage: 0, embedded: 0, unchanged: 0, failed: 0,
                                        remoteOnly: 0, withoutImage: 0, problems: [], seconds: 0)
        func report(_ problem: ImageProblem) {
            summary.failed += 1
            if summary.problems.count < 1_000 { summary.problems.append(problem) }
            logger.debug("image not embedded", metadata: ["item": "\(problem.item)", "file": "\(problem.file)",
                                                            "reason": "\(problem.message)"])
            warning(problem)
        }

        var candidates: [(id: ItemID, path: String)] = []
        var missing: [ImageProblem] = []
        try store.forEachItem { item in
            summary.items += 1
            switch resolver.location(of: item) {
            case let .file(path): candidates.append((item.id, path))
            case let .missing(path):
                missing.append(ImageProblem(item: item.id.rawValue, file: path, message: "the image file does not exist"))
            case .remote: summary.remoteOnly += 1
            case .none: summary.withoutImage += 1
            }
        }
        for problem in missing { report(problem) }
        summary.withImage = candidates.count

        // Hash every file (in parallel), and keep those whose vector or descriptors are out of date.
        var hashes = [String?](repeating: nil, count: candidates.count)
        var hashErrors = [String?](repeating: nil, count: candidates.count)
        hashes.withUnsafeMutableBufferPointer { hashOut in
            hashErrors.withUnsafeMutableBufferPointer { errorOut in
                nonisolated(unsafe) let hashOut = hashOut, errorOut = errorOut
                let candidates = candidates
                Parallel.forEachChunk(count: candidates.count) { range in
                    for i in range {
                        do {
                            hashOut[i] = try SHA256.hash(fileAt: candidates[i].path).hex
                        } catch {
                            errorOut[i] = "cannot be read: \(error.localizedDescription)"
                        }
                    }
                }
            }
        }
        let storedVectors = try vectorStore.vectorHashes(model: model)
        let storedVisuals = try visualStore.visualHashes()
        var pending: [(id: ItemID, path: String, hash: String)] = []
        for (i, candidate) in candidates.enumerated() {
            guard let hash = hashes[i] else {
                report(ImageProblem(item: candidate.id.rawValue, file: candidate.path,
                                    message: hashErrors[i] ?? "cannot be read"))
                continue
            }
            let visual = storedVisuals[candidate.id]
            if storedVectors[candidate.id] == hash, visual?.contentHash == hash,
               visual?.algorithmVersion == VisualDescriptors.algorithmVersion {
                summary.unchanged += 1
            } else {
                pending.append((candidate.id, candidate.path, hash))
            }
        }
        logger.info("embedding item images", metadata: ["model": "\(model)", "items": "\(summary.items)",
                                                        "with_image": "\(summary.withImage)",
                                                        "to_embed": "\(pending.count)"])
        progress(0, pending.count)
        guard !pending.isEmpty else {
            summary.seconds = Date().timeIntervalSince(start)
            return summary
        }

        let encoder = try imageEncoder()
        guard encoder.modelID == model else {
            throw StoreError.invalidValue(field: "image encoder", reason: "changed from \(model) to \(encoder.modelID) during the run")
        }
        let preprocessing = ImageEncoder.preprocessing
        let extractor = VisualDescriptorExtractor()
        let encoder2 = JSONEncoder()
        encoder2.outputFormatting = [.sortedKeys]
        var done = 0
        while done < pending.count {
            let chunk = Array(pending[done..<min(pending.count, done + max(1, chunkSize))])
            // Decode for the network (colour profiles ignored, as in training) and for the descriptors
            // (profiles applied), both cores, one image per task.
            var decoded = [Result<(RGBImage, VisualDescriptors), ImagingError>?](repeating: nil, count: chunk.count)
            decoded.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                Parallel.forEachChunk(count: chunk.count, chunks: chunk.count) { range in
                    for i in range {
                        out[i] = Result { () throws(ImagingError) -> (RGBImage, VisualDescriptors) in
                            let input = try ImageLoader.modelInput.load(
                                file: chunk[i].path,
                                size: .shorterSide(preprocessing.shorterSide, centreCrop: preprocessing.cropSize))
                            return (input, try extractor.describe(file: chunk[i].path))
                        }
                    }
                }
            }
            var good: [(entry: (id: ItemID, path: String, hash: String), descriptors: VisualDescriptors)] = []
            var images: [RGBImage] = []
            for (i, result) in decoded.enumerated() {
                switch result {
                case let .success((image, descriptors))?:
                    good.append((chunk[i], descriptors))
                    images.append(image)
                case let .failure(error)?:
                    // ImagingError's text starts with the file name, which the problem already carries.
                    var message = error.description
                    if message.hasPrefix(chunk[i].path + ": ") { message.removeFirst(chunk[i].path.count + 2) }
                    report(ImageProblem(item: chunk[i].id.rawValue, file: chunk[i].path, message: message))
                case nil:
                    report(ImageProblem(item: chunk[i].id.rawValue, file: chunk[i].path, message: "was not decoded"))
                }
            }
            if !images.isEmpty {
                let features = try encoder.features(for: images)
                var vectors: [ItemVector] = []
                var visuals: [ItemVisualRecord] = []
                for (k, entry) in good.enumerated() {
                    var values = features[k]
                    ImageEmbedding.normalise(&values)
                    vectors.append(ItemVector(item: entry.entry.id, contentHash: entry.entry.hash, values: values))
                    let d = entry.descriptors
                    var shares: [String: Double] = [:]
                    for colour in d.palette { shares[colour.name, default: 0] += colour.share }
                    visuals.append(ItemVisualRecord(
                        item: entry.entry.id, contentHash: entry.entry.hash,
                        algorithmVersion: VisualDescriptors.algorithmVersion, image: entry.entry.path,
                        brightness: d.brightness, contrast: d.contrast, colourfulness: d.colourfulness,
                        colourShares: shares, json: try encoder2.encode(d)))
                }
                try visualStore.writeImageAnalysis(vectors: vectors, model: model, dimension: encoder.dimension,
                                                   visuals: visuals)
                summary.embedded += vectors.count
            }
            done += chunk.count
            progress(done, pending.count)
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}
