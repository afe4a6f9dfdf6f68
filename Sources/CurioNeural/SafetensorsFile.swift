import Foundation

/// Element types a safetensors file can declare, with their sizes in bytes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case i64 = "I64", u64 = "U64", f64 = "F64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .i64, .u64, .f64: 8
        }
    }

    /// Whether ``SafetensorsFile/tensor(named:)`` can convert this type to `Float`.
    public var isConvertibleToFloat: Bool { self == .f32 || self == .f16 || self == .bf16 || self == .f64 }
}

/// Where one tensor sits in a safetensors file.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name (e.g. `encoder.layer.0.attention.self.query.weight`).
    public let name: String
    /// Stored element type.
    public let dtype: SafetensorsDType
    /// Extent of each dimension.
    public let shape: [Int]
    /// Byte range within the file (absolute, header included).
    public let byteRange: Range<Int>
}

/// A memory-mapped [safetensors](https://huggingface.co/docs/safetensors) weights file.
///
/// Opening validates the whole layout before any tensor is read: 8-byte little-endian header length within the
/// file, a JSON object header, a known dtype and non-negative shape for every entry, byte ranges whose length is
/// exactly `shape × dtype size`, ranges inside the data area, in order, without overlap or gaps, covering the data
/// area exactly. Anything else — a truncated download, a hand-edited header — fails with
/// ``NeuralError/badWeights(file:reason:)`` naming the tensor concerned.
public final class SafetensorsFile: Sendable {
    /// The file's path, used in error messages.
    public let path: String
    /// Every tensor, keyed by name.
    public let tensors: [String: SafetensorsTensorInfo]
    /// The optional `__metadata__` string map.
    public let metadata: [String: String]
    private let file: MemoryMappedFile

    /// Header sizes above this are refused (the format's own limit is 100 MB).
    public static let maximumHeaderSize = 100_000_000

    /// Maps and validates the file at `path`.
    /// - Throws: ``NeuralError/io(path:reason:)`` when unreadable, ``NeuralError/badWeights(file:reason:)`` when
    ///   inconsistent.
    public init(path: String) throws {
        self.path = path
        file = try MemoryMappedFile(path: path)
        (tensors, metadata) = try file.withUnsafeBytes { try Self.parseHeader($0, path: path) }
    }

    /// Names of all tensors, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// The tensor `name` converted to `Float`.
    /// - Throws: ``NeuralError/missingTensor(file:name:)`` when absent, ``NeuralError/badWeights(file:reason:)``
    ///   when its dtype is not a floating-point type.
    public func tensor(named name: String) throws -> Tensor {
        guard let info = tensors[name] else { throw NeuralError.missingTensor(file: path, name: name) }
        var storage = [Float](repeating: 0, count: info.shape.reduce(1, *))
        try storage.withUnsafeMutableBufferPointer { try copy(info, into: $0) }
        return Tensor(shape: info.shape, storage: storage)
    }

    /// Converts the tensor `name`, which must have exactly `shape`, to `Float` into `destination`
    /// (which must hold exactly its element count) — for loaders that lay weights out in their own buffers.
    /// - Throws: as ``tensor(named:)``, plus ``NeuralError/shapeMismatch(name:expected:found:)``.
    public func copyTensor(named name: String, shape: [Int], into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let info = tensors[name] else { throw NeuralError.missingTensor(file: path, name: name) }
        guard info.shape == shape else { throw NeuralError.shapeMismatch(name: name, expected: shape, found: info.shape) }
        precondition(destination.count == shape.reduce(1, *), "destination holds \(destination.count) values")
        try copy(info, into: destination)
    }

    private func copy(_ info: SafetensorsTensorInfo, into out: UnsafeMutableBufferPointer<Float>) throws {
        guard info.dtype.isConvertibleToFloat else {
            throw NeuralError.badWeights(file: path, reason:
                "tensor '\(info.name)' has dtype \(info.dtype.rawValue), which is not a floating-point type")
        }
        file.withBytes { all in
            Self.convert(UnsafeRawBufferPointer(rebasing: all[info.byteRange]), dtype: info.dtype, into: out)
        }
    }

    /// Converts raw little-endian elements of a floating-point dtype to `Float`.
    private static func convert(_ raw: UnsafeRawBufferPointer, dtype: SafetensorsDType,
                                into out: UnsafeMutableBufferPointer<Float>) {
        let count = out.count
        switch dtype {
        case .f32:
            UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
        case .f16:
            for i in 0..<count {
                out[i] = Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .bf16:
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .f64:
            for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
        default:
            break
        }
    }

    /// The tensor `name`, which must have exactly `shape`.
    /// - Throws: as ``tensor(named:)``, plus ``NeuralError/shapeMismatch(name:expected:found:)``.
    public func tensor(named name: String, shape: [Int]) throws -> Tensor {
        guard let info = tensors[name] else { throw NeuralError.missingTensor(file: path, name: name) }
        guard info.shape == shape else { throw NeuralError.shapeMismatch(name: name, expected: shape, found: info.shape) }
        return try tensor(named: name)
    }

    private static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String)
        throws -> ([String: SafetensorsTensorInfo], [String: String]) {
        func bad(_ reason: String) -> NeuralError { .badWeights(file: path, reason: reason) }
        guard bytes.count >= 8 else {
            throw bad("file is \(bytes.count) bytes, shorter than the 8-byte header length (truncated?)")
        }
        let declared = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        guard declared >= 2, declared <= UInt64(maximumHeaderSize) else {
            throw bad("header length \(declared) is not plausible (not a safetensors file?)")
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw bad("header length \(headerLength) runs past the end of the \(bytes.count)-byte file (truncated?)")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)])
        guard headerBytes.first == UInt8(ascii: "{") else { throw bad("header does not start with a JSON object") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(headerBytes), options: [])
        } catch {
            throw bad("header is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw bad("header is not a JSON object") }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var tensors: [String: SafetensorsTensorInfo] = [:]
        var metadata: [String: String] = [:]
        var spans: [(name: String, begin: Int, end: Int)] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (key, v) in map {
                    guard let s = v as? String else { throw bad("__metadata__ value for '\(key)' is not a string") }
                    metadata[key] = s
                }
                continue
            }
            guard let entry = value as? [String: Any] else { throw bad("entry for tensor '\(name)' is not an object") }
            guard let dtypeName = entry["dtype"] as? String else { throw bad("tensor '\(name)' has no dtype") }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw bad("tensor '\(name)' has unknown dtype '\(dtypeName)'")
            }
            guard let shapeValues = entry["shape"] as? [Any] else { throw bad("tensor '\(name)' has no shape") }
            var shape: [Int] = []
            for v in shapeValues {
                guard let d = Self.integer(v), d >= 0 else { throw bad("tensor '\(name)' has an invalid shape \(shapeValues)") }
                shape.append(d)
            }
            guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = Self.integer(offsets[0]), let end = Self.integer(offsets[1]), begin >= 0, begin <= end
            else { throw bad("tensor '\(name)' has invalid data_offsets") }
            var elements = 1
            for d in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("tensor '\(name)' shape \(shape) is too large") }
                elements = product
            }
            let (expectedBytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, end - begin == expectedBytes else {
                throw bad("tensor '\(name)' occupies \(end - begin) bytes but shape \(shape) × \(dtype.rawValue) needs \(expectedBytes)")
            }
            guard end <= dataLength else {
                throw bad("tensor '\(name)' ends at byte \(end) of a data area of \(dataLength) bytes (truncated file?)")
            }
            spans.append((name, begin, end))
            tensors[name] = SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape,
                                                  byteRange: (dataStart + begin)..<(dataStart + end))
        }
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        for span in spans {
            if span.begin < position {
                throw bad("tensor '\(span.name)' overlaps the previous tensor (bytes \(span.begin)..<\(span.end))")
            }
            if span.begin > position {
                throw bad("bytes \(position)..<\(span.begin) before tensor '\(span.name)' belong to no tensor")
            }
            position = span.end
        }
        guard position == dataLength else {
            throw bad("data area has \(dataLength) bytes but the tensors cover \(position)")
        }
        return (tensors, metadata)
    }

    /// An exact non-negative or negative integer from a JSON number (rejects fractions and booleans).
    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        // JSON booleans arrive as NSNumber too, with the C type of `char`.
        if String(cString: number.objCType) == "c" { return nil }
        let d = number.doubleValue
        guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return number.intValue
    }
}
