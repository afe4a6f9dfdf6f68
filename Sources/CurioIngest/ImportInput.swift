import CurioCompression
import Foundation

/// Finding and reading the files an importer was pointed at, with errors mapped to ``IngestError``.
enum ImportInput {
    /// The files to import below `url`: `url` itself when it is a file, otherwise every file below the folder
    /// (recursively, hidden files skipped) whose name ends in one of `extensions` (case-insensitive, optionally
    /// followed by `.gz`), sorted by path so that imports are reproducible.
    ///
    /// - Throws: ``IngestError/fileMissing(path:)`` when `url` does not exist,
    ///   ``IngestError/unreadable(path:reason:)`` when the folder cannot be listed.
    static func files(at url: URL, extensions: [String]) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw IngestError.fileMissing(path: url.path)
        }
        guard isDirectory.boolValue else { return [url] }
        guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else {
            throw IngestError.unreadable(path: url.path, reason: "the folder cannot be listed")
        }
        var result: [URL] = []
        for case let file as URL in enumerator where hasExtension(file, in: extensions) {
            let values = try? file.resourceValues(forKeys: [.isRegularFileKey])
            if values?.isRegularFile ?? true { result.append(file) }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Whether the file name ends in `.ext` or `.ext.gz` for one of `extensions` (case-insensitive).
    static func hasExtension(_ url: URL, in extensions: [String]) -> Bool {
        let name = url.lastPathComponent.lowercased()
        let base = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
        return extensions.contains { base.hasSuffix("." + $0.lowercased()) }
    }

    /// Reads a whole file, decompressing it when it starts with the gzip magic bytes.
    static func readData(_ url: URL) throws -> Data {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw IngestError.fileMissing(path: path) }
        let raw: Data
        do {
            raw = try Data(contentsOf: url)
        } catch {
            throw IngestError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        guard raw.count >= 2, raw[raw.startIndex] == 0x1f, raw[raw.startIndex + 1] == 0x8b else { return raw }
        do {
            let inflater = try Inflater(format: .gzip, source: path)
            var out = Data()
            try raw.withUnsafeBytes { bytes in
                try inflater.push(bytes) { out.append(contentsOf: $0) }
            }
            try inflater.finish()
            return out
        } catch let error as CompressionError {
            throw IngestError.unreadable(path: path, reason: error.description)
        }
    }

    /// Calls `body(lineNumber, bytes)` for every line of a plain or gzip file.
    ///
    /// - Throws: ``IngestError`` for missing or unreadable files, corrupt or truncated gzip, and lines longer
    ///   than `maxLineBytes`; whatever `body` throws passes through unchanged.
    static func forEachLine(_ url: URL, maxLineBytes: Int = 64 << 20,
                            _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw IngestError.fileMissing(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw IngestError.unreadable(path: path, reason: "permission denied")
        }
        do {
            try LineReader(path: path, maxLineBytes: maxLineBytes).forEachLine { number, bytes in
                guard let bytes else {
                    throw IngestError.malformed(path: path, line: number,
                                                reason: "line is longer than \(maxLineBytes >> 20) MiB")
                }
                try body(number, bytes)
            }
        } catch let error as CompressionError {
            throw IngestError.unreadable(path: path, reason: error.description)
        } catch let error as CocoaError {
            throw IngestError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// Checks that `bytes` are valid UTF-8.
    ///
    /// - Returns: nil when valid, otherwise the offset of the first byte of the first invalid sequence.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i - bytes.startIndex
            }
            guard i + length <= end else { return i - bytes.startIndex }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i - bytes.startIndex }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                return i - bytes.startIndex
            }
            i += length
            minimum = 0
        }
        return nil
    }

    /// The 1-based character column of byte `offset` in a line of UTF-8 (continuation bytes do not count).
    static func column(ofByte offset: Int, in bytes: ArraySlice<UInt8>) -> Int {
        var column = 1
        var i = bytes.startIndex
        let stop = bytes.startIndex + min(offset, bytes.count)
        while i < stop {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    /// An absolute, normalised path for `relative` (a path as written in a data file) against `folder`
    /// (an absolute folder path): absolute paths are kept, `.` and `..` components are resolved.
    static func resolve(_ relative: String, against folder: String) -> String {
        let joined = relative.hasPrefix("/") ? relative : (folder.hasSuffix("/") ? folder : folder + "/") + relative
        guard joined.contains("/.") || joined.contains("//") else { return joined }
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `text` cut at every occurrence of `separator`, each part trimmed, empty parts dropped.
    /// Works on UTF-8 bytes (Foundation's `components(separatedBy:)` was a hot spot).
    static func split(_ text: String, by separator: String) -> [String] {
        let sep = Array(separator.utf8)
        guard let first = sep.first else { return [text.importTrimmed].filter { !$0.isEmpty } }
        var parts: [String] = []
        var utf8 = text
        utf8.withUTF8 { bytes in
            var start = 0
            var i = 0
            func flush(_ end: Int) {
                let part = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    .importTrimmed
                if !part.isEmpty { parts.append(part) }
            }
            while i + sep.count <= bytes.count {
                if bytes[i] == first, sep.count == 1 || (1..<sep.count).allSatisfy({ bytes[i + $0] == sep[$0] }) {
                    flush(i)
                    i += sep.count
                    start = i
                } else {
                    i += 1
                }
            }
            flush(bytes.count)
        }
        return parts
    }

    /// The display name of a file in problems: the path as the user gave it.
    static func displayPath(_ url: URL) -> String { url.path }
}

extension String {
    /// The text without leading and trailing white space and line breaks (Unicode `White_Space`).
    ///
    /// Importers trim every value; Foundation's `trimmingCharacters(in:)` bridges through `NSString` on Linux and
    /// dominated import time, so this works on Unicode scalars directly, with an ASCII fast path.
    var importTrimmed: String {
        guard let first = utf8.first, let last = utf8.last else { return "" }
        func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
        if plain(first), plain(last) { return self }
        func space(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x80 ? (s == " " || (0x09...0x0D).contains(s.value)) : s.properties.isWhitespace
        }
        guard let start = unicodeScalars.firstIndex(where: { !space($0) }),
              let end = unicodeScalars.lastIndex(where: { !space($0) }) else { return "" }
        return String(unicodeScalars[start...end])
    }
}

extension Substring {
    /// ``Swift/String/importTrimmed`` for a substring.
    var importTrimmed: String { String(self).importTrimmed }
}
