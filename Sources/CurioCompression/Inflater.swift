import CZlib
import Foundation

/// Errors from decompression, naming what was being read.
public enum CompressionError: Error, CustomStringConvertible, Sendable {
    /// The compressed stream is corrupt.
    case corrupt(source: String, reason: String)
    /// The stream ended before its end marker (a truncated download or copy).
    case truncated(source: String)
    /// Decompressed output would exceed the allowed size.
    case tooLarge(source: String, limit: Int)

    public var description: String {
        switch self {
        case let .corrupt(source, reason): "\(source): compressed data is corrupt (\(reason))"
        case let .truncated(source): "\(source): compressed data ends early (file truncated?)"
        case let .tooLarge(source, limit): "\(source): decompressed data is larger than the limit of \(limit) bytes"
        }
    }
}

/// Streaming zlib inflater for gzip files and raw DEFLATE (zip entries).
///
/// Feed compressed bytes with ``push(_:)``; decompressed bytes arrive in the handler. Call ``finish()``
/// at end of input: it throws ``CompressionError/truncated(source:)`` when the stream did not end properly.
/// Concatenated gzip members (as written by `cat a.gz b.gz`) are supported.
public final class Inflater {
    public enum Format: Sendable {
        /// gzip wrapper (RFC 1952), with CRC check.
        case gzip
        /// Raw DEFLATE (RFC 1951), as stored in zip entries.
        case raw
    }

    private var stream = z_stream()
    private let format: Format
    private let source: String
    private var ended = false
    private var sawInput = false
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// - Parameter source: a name for error messages (usually the file path).
    public init(format: Format, source: String) throws {
        self.format = format
        self.source = source
        let bits: Int32 = format == .gzip ? 15 + 16 : -15
        let rc = curio_inflate_init2(&stream, bits)
        guard rc == Z_OK else { throw CompressionError.corrupt(source: source, reason: "zlib init failed (\(rc))") }
    }

    deinit { inflateEnd(&stream) }

    /// Decompresses `input`, calling `output` with each decompressed slice.
    public func push(_ input: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        var remaining = input
        while remaining.count > 0 {
            if ended {
                // Another gzip member follows (concatenated gzip), or trailing garbage.
                guard format == .gzip else { return }
                if remaining.allSatisfy({ $0 == 0 }) { return }
                inflateReset(&stream)
                ended = false
            }
            sawInput = true
            let consumed: Int = try remaining.withMemoryRebound(to: UInt8.self) { typed -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: typed.baseAddress!)
                stream.avail_in = uInt(typed.count)
                repeat {
                    let produced: Int = try buffer.withUnsafeMutableBufferPointer { out -> Int in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        let rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                        switch rc {
                        case Z_OK, Z_BUF_ERROR: break
                        case Z_STREAM_END: ended = true
                        default:
                            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                            throw CompressionError.corrupt(source: source, reason: message)
                        }
                        return out.count - Int(stream.avail_out)
                    }
                    if produced > 0 {
                        try buffer.withUnsafeBytes { try output(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
                    }
                    if ended { break }
                    if produced == 0 && stream.avail_in == 0 { break }
                } while stream.avail_out == 0 || stream.avail_in > 0
                return typed.count - Int(stream.avail_in)
            }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[consumed...])
            if !ended { break }
        }
    }

    /// Confirms the compressed stream ended with its end marker.
    public func finish() throws {
        if !ended && sawInput { throw CompressionError.truncated(source: source) }
        if !sawInput { throw CompressionError.truncated(source: source) }
    }

    /// Inflates a whole buffer at once.
    /// - Parameter limit: maximum decompressed size, to refuse decompression bombs.
    public static func inflate(_ data: Data, format: Format, source: String, limit: Int = 1 << 31) throws -> Data {
        let inflater = try Inflater(format: format, source: source)
        var out = Data()
        try data.withUnsafeBytes { raw in
            try inflater.push(raw) { chunk in
                if out.count + chunk.count > limit { throw CompressionError.tooLarge(source: source, limit: limit) }
                out.append(contentsOf: chunk)
            }
        }
        try inflater.finish()
        return out
    }
}
