import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only, memory-mapped file: weights and archives are read in place, without copying them into memory.
///
/// The mapping lives as long as the object; pointers obtained from ``withUnsafeBytes(_:)`` must not escape it.
/// Immutable after creation, hence safe to share between threads.
public final class MemoryMappedFile: @unchecked Sendable {
    /// The file's path, used in error messages.
    public let path: String
    /// Size of the file in bytes.
    public let count: Int
    private let base: UnsafeRawPointer?

    /// Maps the whole file read-only.
    /// - Throws: ``NeuralError/io(path:reason:)`` when the file is missing, unreadable or a directory.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw NeuralError.io(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw NeuralError.io(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw NeuralError.io(path: path, reason: "not a regular file")
        }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw NeuralError.io(path: path, reason: "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Calls `body` with the file's bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls a non-throwing `body` with the file's bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes in `range` (which must lie within the file).
    public func data(in range: Range<Int>) -> Data {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        guard let base, !range.isEmpty else { return Data() }
        return Data(bytes: base + range.lowerBound, count: range.count)
    }
}
