import CZlib

/// CRC-32 (ISO 3309 / ITU-T V.42, the checksum of gzip and zip) computed by zlib.
///
/// A value type so it can be updated incrementally while streaming:
/// ```swift
/// var crc = CRC32()
/// crc.update(chunk1); crc.update(chunk2)
/// crc.value   // the checksum of chunk1 + chunk2
/// ```
public struct CRC32: Sendable, Equatable {
    /// The checksum of everything passed to ``update(_:)`` so far (0 for no input).
    public private(set) var value: UInt32 = 0

    /// A checksum over no bytes.
    public init() {}

    /// Extends the checksum with `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return }
        var remaining = bytes.count
        var crc = uLong(value)
        // zlib takes a 32-bit length; feed large buffers in slices.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            crc = crc32(crc, base, uInt(n))
            base += n
            remaining -= n
        }
        value = UInt32(truncatingIfNeeded: crc)
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The CRC-32 of a byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
