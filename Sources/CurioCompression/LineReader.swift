import Foundation

/// Reads a text file line by line, transparently decompressing gzip (detected by its magic bytes).
///
/// Lines are delivered as raw UTF-8 bytes without the line terminator (`\n` or `\r\n`), with their
/// 1-based line number. Memory use is bounded by the longest line plus a 1 MiB read buffer.
public struct LineReader: Sendable {
    public let path: String
    /// Lines longer than this are reported through the handler as `nil` content rather than buffered.
    public let maxLineBytes: Int

    public init(path: String, maxLineBytes: Int = 64 << 20) {
        self.path = path
        self.maxLineBytes = maxLineBytes
    }

    /// Whether the file starts with the gzip magic bytes.
    public static func isGzip(path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = (try? h.read(upToCount: 2)) ?? Data()
        return magic.count == 2 && magic[magic.startIndex] == 0x1f && magic[magic.startIndex + 1] == 0x8b
    }

    /// Calls `body(lineNumber, bytes)` for each line; `bytes` is nil when the line exceeded ``maxLineBytes``.
    /// - Parameter rawBytes: called with each block of the file exactly as read from disk (still compressed for
    ///   gzip), before its lines are delivered — for hashing the file and measuring progress in one pass.
    /// - Throws: file errors, ``CompressionError`` for corrupt or truncated gzip, or whatever `body` throws.
    public func forEachLine(rawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
                            _ body: (Int, ArraySlice<UInt8>?) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let gzip = Self.isGzip(path: path)
        let inflater = gzip ? try Inflater(format: .gzip, source: path) : nil
        var pending: [UInt8] = []
        var overlong = false
        var lineNumber = 0

        func emit(_ bytes: UnsafeRawBufferPointer) throws {
            var start = 0
            let n = bytes.count
            var i = 0
            while i < n {
                if bytes[i] == 0x0A {
                    lineNumber += 1
                    if overlong || pending.count + (i - start) > maxLineBytes {
                        try body(lineNumber, nil)
                    } else if pending.isEmpty {
                        var end = i
                        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                        try body(lineNumber, ArraySlice(UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
                    } else {
                        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
                        if pending.last == 0x0D { pending.removeLast() }
                        try body(lineNumber, pending[...])
                    }
                    pending.removeAll(keepingCapacity: true)
                    overlong = false
                    start = i + 1
                }
                i += 1
            }
            if start < n, !overlong {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<n]))
                if pending.count > maxLineBytes {
                    overlong = true
                    pending.removeAll()
                }
            }
        }

        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { raw in
                rawBytes?(raw)
                if let inflater { try inflater.push(raw, output: emit) } else { try emit(raw) }
            }
        }
        if let inflater { try inflater.finish() }
        if overlong {
            lineNumber += 1
            try body(lineNumber, nil)
        } else if !pending.isEmpty {
            lineNumber += 1
            try body(lineNumber, pending[...])
        }
    }
}
