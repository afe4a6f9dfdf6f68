import CurioCore
import CurioImaging
import CurioNeural
import Foundation

/// `curio-bench image --images DIR [--limit N] [--threads T] [--batch B] [--chunk C] [--features FILE]`
///
/// Decodes and preprocesses images with CurioImaging (libvips: shorter side 256, centre crop 224, profiles ignored)
/// and encodes them with the Swift EfficientNet-Lite0, streaming in chunks of C images (decode a chunk on T threads,
/// then encode it), as an embedding job would. Prints one JSON object: seconds spent decoding and in the network,
/// images/s, peak RSS. `--features` writes the 1280-d features (float32, one row per image, file-name order) so the
/// benchmark script can compare them with PyTorch's. Model loading is not timed.
enum ImageBenchmark {
    /// Results written by several threads, each to its own index.
    final class Slots<T>: @unchecked Sendable {
        private var values: [T?]
        private let lock = NSLock()
        init(_ count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ v: T) { lock.lock(); values[i] = v; lock.unlock() }
        var all: [T?] { lock.lock(); defer { lock.unlock() }; return values }
    }

    static func run(_ arguments: [String]) throws {
        let options = try BenchSupport.Options(arguments)
        guard let directory = options.string("images") else {
            throw BenchSupport.UsageError(description:
                "usage: curio-bench image --images DIR [--limit N] [--threads T] [--batch B] [--chunk C] [--features FILE]")
        }
        let limit = try options.int("limit", default: Int.max)
        let threads = max(1, try options.int("threads", default: ProcessInfo.processInfo.activeProcessorCount))
        let chunkSize = max(1, try options.int("chunk", default: 64))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { name in [".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"].contains { name.lowercased().hasSuffix($0) } }
            .sorted().prefix(limit)
        let files = names.map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }
        guard !files.isEmpty else { throw BenchSupport.UsageError(description: "no images in \(directory)") }

        var encoder = try ImageEncoder.installed()
        encoder.parallelism = threads
        encoder.batchSize = try options.int("batch", default: encoder.batchSize)
        ImageLoader.setLibraryThreads(1)
        let loader = ImageLoader.modelInput
        let p = ImageEncoder.preprocessing

        var decodeSeconds = 0.0, encodeSeconds = 0.0, decoded = 0
        var features: [[Float]] = []
        var failures: [String] = []
        var start = 0
        while start < files.count {
            let chunk = Array(files[start..<min(files.count, start + chunkSize)])
            let t0 = BenchSupport.now()
            let images = Slots<RGBImage>(chunk.count), errors = Slots<String>(chunk.count)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for i in stride(from: worker, to: chunk.count, by: threads) {
                    do { images.set(i, try loader.load(file: chunk[i], size: .shorterSide(p.shorterSide, centreCrop: p.cropSize))) }
                    catch { errors.set(i, "\(error)") }
                }
            }
            let batch = images.all.compactMap { $0 }
            failures += errors.all.compactMap { $0 }
            let t1 = BenchSupport.now()
            features += try encoder.features(for: batch)
            let t2 = BenchSupport.now()
            decodeSeconds += t1 - t0
            encodeSeconds += t2 - t1
            decoded += batch.count
            start += chunk.count
        }
        for message in failures.prefix(5) { BenchSupport.log(message) }
        if let path = options.string("features") {
            var data = Data(capacity: features.count * encoder.dimension * 4)
            for row in features { row.withUnsafeBytes { data.append(contentsOf: $0) } }
            try data.write(to: URL(fileURLWithPath: path))
        }
        BenchSupport.emit([
            "benchmark": "image", "model": encoder.modelID, "images": decoded, "failed": failures.count,
            "threads": threads, "batch": encoder.batchSize, "chunk": chunkSize,
            "decode_seconds": decodeSeconds, "encode_seconds": encodeSeconds,
            "total_seconds": decodeSeconds + encodeSeconds,
            "images_per_second": Double(decoded) / (decodeSeconds + encodeSeconds),
            "encode_images_per_second": Double(decoded) / encodeSeconds,
            "peak_rss_mib": BenchSupport.peakRSSMiB() ?? -1,
        ])
    }
}
