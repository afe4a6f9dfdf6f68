// Image-encoding benchmark driver (Curio side of Benchmarks/image.sh): decodes and preprocesses JPEGs with
// CurioImaging (libvips), encodes them with CurioNeural's EfficientNet-Lite0, and prints timings, throughput and
// peak RSS as one JSON object. Optionally writes the features (float32, row per image) for cross-checking.
//
// Images are processed in chunks (decode a chunk on all threads, then encode it), as an embedding job would, so
// memory stays flat however many images there are.
//
//   curio-image-bench --images DIR [--limit N] [--batch B] [--threads T] [--chunk C] [--features FILE]
import CurioCore
import CurioImaging
import CurioNeural
import Dispatch
import Foundation

struct Options {
    var images = ""
    var limit = Int.max
    var batch = 4
    var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var chunk = 64
    var featuresPath: String?
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        let value = arguments.next() ?? ""
        switch argument {
        case "--images": options.images = value
        case "--limit": options.limit = Int(value) ?? options.limit
        case "--batch": options.batch = Int(value) ?? options.batch
        case "--threads": options.threads = Int(value) ?? options.threads
        case "--chunk": options.chunk = max(1, Int(value) ?? options.chunk)
        case "--features": options.featuresPath = value
        default:
            FileHandle.standardError.write("unknown option \(argument)\n".data(using: .utf8)!)
            exit(64)
        }
    }
    if options.images.isEmpty {
        FileHandle.standardError.write("usage: curio-image-bench --images DIR [--limit N] [--batch B] [--threads T] [--chunk C] [--features FILE]\n".data(using: .utf8)!)
        exit(64)
    }
    return options
}

/// Peak resident set size of this process in MiB (Linux reports ru_maxrss in KiB).
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Results written from several threads, each to its own index.
final class Slots<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()
    init(_ count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); values[i] = v; lock.unlock() }
    var all: [T?] { lock.lock(); defer { lock.unlock() }; return values }
}

let options = parseOptions()
let directory = URL(fileURLWithPath: options.images)
let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") || $0.lowercased().hasSuffix(".png") }
    .sorted().prefix(options.limit).map { directory.appendingPathComponent($0).path }
guard !files.isEmpty else {
    FileHandle.standardError.write("no images in \(options.images)\n".data(using: .utf8)!)
    exit(66)
}

var encoder: ImageEncoder
do { encoder = try ImageEncoder.installed() } catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(69)
}
encoder.batchSize = options.batch
encoder.parallelism = options.threads

// Per chunk: decode and preprocess on `threads` threads (libvips single-threaded inside each), then encode.
ImageLoader.setLibraryThreads(1)
let loader = ImageLoader.modelInput
let p = ImageEncoder.preprocessing
var decodeSeconds = 0.0, encodeSeconds = 0.0
var features: [[Float]] = []
var failed: [String] = []
var decodedCount = 0
var start = 0
while start < files.count {
    let chunk = Array(files[start..<min(files.count, start + options.chunk)])
    let t0 = now()
    let decoded = Slots<RGBImage>(chunk.count)
    let failures = Slots<String>(chunk.count)
    DispatchQueue.concurrentPerform(iterations: options.threads) { worker in
        var i = worker
        while i < chunk.count {
            do { decoded.set(i, try loader.load(file: chunk[i], size: .shorterSide(p.shorterSide, centreCrop: p.cropSize))) }
            catch { failures.set(i, "\(error)") }
            i += options.threads
        }
    }
    let images = decoded.all.compactMap { $0 }
    failed += failures.all.compactMap { $0 }
    let t1 = now()
    do { features += try encoder.features(for: images) } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        exit(70)
    }
    let t2 = now()
    decodeSeconds += t1 - t0
    encodeSeconds += t2 - t1
    decodedCount += images.count
    start += chunk.count
}

if let path = options.featuresPath {
    var data = Data(capacity: features.count * encoder.dimension * 4)
    for row in features { row.withUnsafeBytes { data.append(contentsOf: $0) } }
    try? data.write(to: URL(fileURLWithPath: path))
}
for message in failed.prefix(5) { FileHandle.standardError.write("\(message)\n".data(using: .utf8)!) }
let report: [String: Any] = [
    "images": decodedCount,
    "failed": failed.count,
    "threads": options.threads,
    "batch": options.batch,
    "chunk": options.chunk,
    "decode_seconds": decodeSeconds,
    "encode_seconds": encodeSeconds,
    "total_seconds": decodeSeconds + encodeSeconds,
    "images_per_second": Double(decodedCount) / (decodeSeconds + encodeSeconds),
    "encode_images_per_second": Double(decodedCount) / encodeSeconds,
    "peak_rss_mib": peakRSSMiB(),
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
