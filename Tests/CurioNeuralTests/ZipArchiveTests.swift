import CurioCompression
import Foundation
import Testing
@testable import CurioNeural

@Suite("Zip archive reader")
struct ZipArchiveTests {
    static let tiny = NeuralTestSupport.fixtures.appendingPathComponent("tiny.zip")
    static let poem = String(repeating: "The sea is calm tonight.\nThe tide is full, the moon lies fair\nUpon the straits.\n", count: 20)

    /// A copy of `tiny.zip` changed by `edit`, in a fresh directory.
    func mutatedCopy(_ edit: (inout [UInt8]) -> Void) throws -> (dir: URL, file: URL) {
        let dir = try NeuralTestSupport.temporaryDirectory()
        var bytes = [UInt8](try Data(contentsOf: Self.tiny))
        edit(&bytes)
        let file = dir.appendingPathComponent("archive.zip")
        try Data(bytes).write(to: file)
        return (dir, file)
    }

    func expectBadArchive(_ path: String, containing fragment: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a badArchive error mentioning '\(fragment)'")
        } catch let NeuralError.badArchive(file, reason) {
            #expect(file == path)
            #expect(reason.contains(fragment), "reason: \(reason)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func listsEntriesInCentralDirectoryOrder() throws {
        let archive = try ZipArchive(path: Self.tiny.path)
        #expect(archive.entries.map(\.path) == ["dir/", "hello.txt", "dir/poem.txt", "empty.txt"])
        #expect(archive.entries[0].isDirectory)
        #expect(archive.entry(named: "hello.txt")?.method == 0)
        #expect(archive.entry(named: "dir/poem.txt")?.method == 8)
        #expect(archive.entry(named: "missing") == nil)
    }

    @Test func readsStoredDeflatedAndEmptyEntries() throws {
        let archive = try ZipArchive(path: Self.tiny.path)
        #expect(try archive.contents(ofEntryAt: "hello.txt") == Data("Hello, Curio!\n".utf8))
        #expect(try archive.contents(ofEntryAt: "dir/poem.txt") == Data(Self.poem.utf8))
        #expect(try archive.contents(ofEntryAt: "empty.txt").isEmpty)
        let poemEntry = try #require(archive.entry(named: "dir/poem.txt"))
        #expect(poemEntry.compressedSize < poemEntry.uncompressedSize)
        let count = try archive.withContents(of: poemEntry) { $0.count }
        #expect(count == 1600)
    }

    @Test func extractsToFilesWithMatchingContents() throws {
        let dir = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = try ZipArchive(path: Self.tiny.path)
        for name in ["hello.txt", "dir/poem.txt", "empty.txt"] {
            let target = dir.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_"))
            try archive.extract(try #require(archive.entry(named: name)), to: target)
            #expect(try Data(contentsOf: target) == archive.contents(ofEntryAt: name))
        }
    }

    @Test func corruptStoredDataFailsTheCRCCheck() throws {
        // hello.txt's data starts after its 30-byte local header and 9-byte name (local header at offset 34).
        let (dir, file) = try mutatedCopy { $0[34 + 30 + 9] ^= 0x20 }
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = try ZipArchive(path: file.path)
        expectBadArchive(file.path, containing: "CRC-32") { _ = try archive.contents(ofEntryAt: "hello.txt") }
        let target = dir.appendingPathComponent("out.txt")
        expectBadArchive(file.path, containing: "CRC-32") { try archive.extract(archive.entry(named: "hello.txt")!, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target.path), "a failed extraction leaves no file behind")
    }

    @Test func corruptDeflateStreamIsReported() throws {
        // dir/poem.txt's compressed data starts at 87 + 30 + 12.
        let (dir, file) = try mutatedCopy { for k in 0..<8 { $0[87 + 42 + k] = 0xFF } }
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = try ZipArchive(path: file.path)
        expectBadArchive(file.path, containing: "dir/poem.txt") { _ = try archive.contents(ofEntryAt: "dir/poem.txt") }
    }

    @Test func truncatedArchivesAreRejected() throws {
        let size = try Data(contentsOf: Self.tiny).count
        for keep in [0, 10, size / 2, size - 1] {
            let (dir, file) = try mutatedCopy { $0.removeSubrange(keep...) }
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(throws: NeuralError.self) { try ZipArchive(path: file.path) }
        }
    }

    @Test func entryPointingPastTheEndIsRejectedOnRead() throws {
        // Make the central directory claim hello.txt is much larger than the file.
        let (dir, file) = try mutatedCopy { bytes in
            let eocd = bytes.count - 22
            let cd = Int(bytes[eocd + 16]) | Int(bytes[eocd + 17]) << 8
            let second = cd + 46 + 4  // after the "dir/" entry (46-byte header + 4-byte name)
            for k in [20, 24] { bytes[second + k + 2] = 0x7F }  // compressed and uncompressed sizes
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = try ZipArchive(path: file.path)
        expectBadArchive(file.path, containing: "past the end") { _ = try archive.contents(ofEntryAt: "hello.txt") }
    }

    @Test func zip64AndNonZipFilesAreRejectedCleanly() throws {
        let zip64 = NeuralTestSupport.fixtures.appendingPathComponent("zip64.zip")
        expectBadArchive(zip64.path, containing: "zip64") { _ = try ZipArchive(path: zip64.path) }
        let text = NeuralTestSupport.fixtures.appendingPathComponent("make_zip_fixtures.py")
        expectBadArchive(text.path, containing: "end-of-central-directory") { _ = try ZipArchive(path: text.path) }
        #expect(throws: NeuralError.io(path: "/nonexistent/x.zip", reason: "No such file or directory")) {
            try ZipArchive(path: "/nonexistent/x.zip")
        }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }
}
