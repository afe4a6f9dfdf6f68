import Foundation
import Testing
@testable import CurioCompression

@Suite("Reading plain and gzip line files")
struct LineReaderTests {
    let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared").standardized

    private func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("curio-\(UUID().uuidString)-\(name)")
    }

    @Test func readsEveryTateArtworkFromGzip() throws {
        let path = shared.appendingPathComponent("data/tate/artists.jsonl.gz").path
        var count = 0
        try LineReader(path: path).forEachLine { _, line in
            if let line, !line.isEmpty { count += 1 }
        }
        #expect(count == 3538)
    }

    @Test func plainFileWithCRLFAndNoFinalNewline() throws {
        let url = temp("a.txt")
        try Data("one\r\ntwo\nthree".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var lines: [String] = []
        try LineReader(path: url.path).forEachLine { n, bytes in
            lines.append("\(n):" + String(decoding: bytes ?? [], as: UTF8.self))
        }
        #expect(lines == ["1:one", "2:two", "3:three"])
    }

    @Test func truncatedGzipIsAnError() throws {
        let data = try Data(contentsOf: shared.appendingPathComponent("data/tate/artists.jsonl.gz"))
        let url = temp("t.gz")
        try data.prefix(data.count / 2).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: CompressionError.self) {
            try LineReader(path: url.path).forEachLine { _, _ in }
        }
    }

    @Test func overlongLinesAreFlaggedNotBuffered() throws {
        let url = temp("long.txt")
        try Data((String(repeating: "x", count: 5000) + "\nshort\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var seen: [Int?] = []
        try LineReader(path: url.path, maxLineBytes: 1000).forEachLine { _, bytes in seen.append(bytes?.count) }
        #expect(seen == [nil, 5])
    }
}
