import CurioCompression
import CurioCore
import CurioStore
import Foundation
@testable import CurioIngest

/// Where the real data lives: the repository's demo sample and the shared Tate dump beside the repository.
enum TateData {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sample = repository.appendingPathComponent("data/sample/tate")
    static let shared = repository.appendingPathComponent("../shared/data/tate").standardized

    /// The first `count` lines of a gzip JSON Lines file, as raw bytes per line.
    static func lines(of url: URL, count: Int) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        struct Enough: Error {}
        do {
            try LineReader(path: url.path).forEachLine { _, line in
                if let line, !line.isEmpty { lines.append(Array(line)) }
                if lines.count >= count { throw Enough() }
            }
        } catch is Enough {}
        return lines
    }

    /// The first `count` sample artworks as JSON objects (to be edited and written back).
    static func sampleArtworks(_ count: Int) throws -> [[String: Any]] {
        try lines(of: sample.appendingPathComponent("artworks.jsonl.gz"), count: count).map {
            try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any]
        }
    }
}

/// A temporary folder with a store, removed when the test ends.
final class Workspace {
    let folder: URL
    let store: SQLiteStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("curio.db").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var dbPath: String { folder.appendingPathComponent("curio.db").path }

    /// Writes `lines` (one JSON value each) to a file in the workspace, gzip-compressed when the name ends in .gz.
    @discardableResult
    func write(_ name: String, lines: [[UInt8]]) throws -> URL {
        var data = Data()
        for line in lines {
            data.append(contentsOf: line)
            data.append(0x0A)
        }
        return try write(name, data: data)
    }

    @discardableResult
    func write(_ name: String, objects: [[String: Any]]) throws -> URL {
        try write(name, lines: try objects.map { [UInt8](try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])) })
    }

    @discardableResult
    func write(_ name: String, data: Data) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if name.hasSuffix(".gz") {
            try Gzip.compress(data).write(to: url)
        } else {
            try data.write(to: url)
        }
        return url
    }

    func ingest(_ urls: [URL], chunkSize: Int = 500, progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        try Ingestor(store: store).ingest(urls, with: TateImporter(chunkSize: chunkSize), progress: progress)
    }

    func statsJSON() throws -> String {
        String(decoding: try store.stats().canonicalJSON(), as: UTF8.self)
    }
}

/// gzip through the system tool (tests only; Curio itself only reads gzip).
enum Gzip {
    static func compress(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return compressed
    }
}
