import Foundation

/// The tensors of a PyTorch state-dict checkpoint (`torch.save(model.state_dict(), path)`), read without Python
/// and without executing anything in the file.
///
/// Both on-disk formats are understood:
/// - **legacy** (PyTorch < 1.6, `_use_new_zipfile_serialization=False`): a magic-number pickle, a protocol-version
///   pickle, a `sys_info` pickle, the state-dict pickle, a pickle listing storage keys, then each storage as an
///   int64 element count followed by its raw little-endian data;
/// - **zip** (PyTorch ≥ 1.6): a zip archive with `<prefix>/data.pkl` and one `<prefix>/data/<key>` entry per storage.
///
/// The pickles are read by a restricted unpickler (see `Unpickler`) that accepts only what a state dict needs;
/// a checkpoint that references any other Python callable (`os.system`, `builtins.eval`, ...) is refused.
/// Tensors are copied out of the file into contiguous row-major `Float` arrays at load time (any dtype, any
/// strides), so the checkpoint object is self-contained and `Sendable`.
public struct TorchCheckpoint: Sendable {
    /// The on-disk layout a checkpoint used.
    public enum Format: String, Sendable { case legacy, zip }

    /// Name, dtype and shape of one stored tensor.
    public struct Entry: Sendable, Hashable {
        /// The state-dict key, e.g. `_blocks.3._depthwise_conv.weight`.
        public let name: String
        /// The stored element type.
        public let dtype: TorchDType
        /// The tensor's shape.
        public let shape: [Int]
    }

    /// The file the checkpoint was read from.
    public let path: String
    /// Which layout the file used.
    public let format: Format
    /// Every tensor in state-dict order.
    public let entries: [Entry]
    private let values: [String: [Float]]

    /// Reads the checkpoint at `path`.
    /// - Throws: `NeuralError.io` when the file cannot be read; `NeuralError.badWeights` when it is truncated,
    ///   malformed, not a PyTorch checkpoint, or contains anything beyond plain tensors (e.g. code).
    public init(path: String) throws {
        self.path = path
        let file = try MemoryMappedFile(path: path)
        let isZip = file.withUnsafeBytes { $0.count >= 4 && $0[0] == 0x50 && $0[1] == 0x4B && $0[2] == 0x03 && $0[3] == 0x04 }
        let loaded = isZip ? try Self.readZip(path: path) : try file.withUnsafeBytes { try Self.readLegacy($0, path: path) }
        format = isZip ? .zip : .legacy
        entries = loaded.entries
        values = loaded.values
    }

    /// The tensor called `name` as `Float`s, converted from its stored dtype.
    /// - Throws: `NeuralError.missingTensor` when there is none.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries.first(where: { $0.name == name }), let storage = values[name] else {
            throw NeuralError.missingTensor(file: path, name: name)
        }
        return Tensor(shape: entry.shape, storage: storage)
    }

    /// The tensor called `name`, checked to have `shape`.
    /// - Throws: `NeuralError.missingTensor` or `NeuralError.shapeMismatch`.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let t = try tensor(name)
        guard t.shape == shape else { throw NeuralError.shapeMismatch(name: name, expected: shape, found: t.shape) }
        return t
    }

    /// The entry called `name`, if present.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    // MARK: - Legacy format

    /// `0x1950a86a20f9469cfc6c`, the magic number legacy checkpoints start with, as little-endian bytes.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    private static func readLegacy(_ bytes: UnsafeRawBufferPointer, path: String) throws -> (entries: [Entry], values: [String: [Float]]) {
        func bad(_ reason: String) -> NeuralError { .badWeights(file: path, reason: reason) }
        guard bytes.count > 2, bytes[0] == 0x80 else {
            throw bad("not a PyTorch checkpoint (neither a zip archive nor a pickle)")
        }
        var offset = 0
        func nextPickle() throws -> PickleGraph {
            var unpickler = Unpickler(bytes: bytes, offset: offset, file: path)
            let graph = try unpickler.load()
            offset = unpickler.endOffset
            return graph
        }
        let magic = try nextPickle()
        guard case let .bigInt(magicBytes) = magic.rootValue, magicBytes == legacyMagic else {
            throw bad("not a legacy PyTorch checkpoint (wrong magic number)")
        }
        let protocolVersion = try nextPickle()
        guard protocolVersion.int(protocolVersion.root) == 1001 else {
            throw bad("unsupported legacy protocol version (expected 1001)")
        }
        let sysInfo = try nextPickle()
        if let info = sysInfo.stringKeyedEntries(ofDict: sysInfo.root),
           let endian = info.first(where: { $0.key == "little_endian" }),
           case .bool(false) = sysInfo[endian.value] {
            throw bad("big-endian checkpoints are not supported")
        }
        let main = try nextPickle()
        let tensors = try stateDict(main, path: path)
        let keyList = try nextPickle()
        guard case let .list(l) = keyList.rootValue else { throw bad("storage key list is missing") }
        let keys = try keyList.lists[l].map { index -> String in
            guard let key = keyList.string(index) else { throw bad("storage key is not a string") }
            return key
        }

        // Storages follow in key order, each an int64 element count and then the raw data.
        var storagesByKey: [String: TorchStorageReference] = [:]
        for (_, t) in tensors { storagesByKey[t.storage.key] = t.storage }
        var ranges: [String: Range<Int>] = [:]
        for key in keys {
            guard bytes.count - offset >= 8 else { throw bad("file ends before storage \(key) (truncated)") }
            var count: UInt64 = 0
            for i in 0..<8 { count |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            guard let storage = storagesByKey[key] else { throw bad("storage \(key) is not used by any tensor") }
            guard count == UInt64(storage.count) else {
                throw bad("storage \(key) holds \(count) elements, the state dict says \(storage.count)")
            }
            let (length, overflow) = storage.count.multipliedReportingOverflow(by: storage.dtype.byteWidth)
            guard !overflow, length <= bytes.count - offset else { throw bad("storage \(key) runs past the end of the file (truncated)") }
            ranges[key] = offset..<(offset + length)
            offset += length
        }
        return try materialise(tensors, path: path) { storage in
            guard let range = ranges[storage.key] else { throw bad("storage \(storage.key) is missing from the file") }
            return UnsafeRawBufferPointer(rebasing: bytes[range])
        }
    }

    // MARK: - Zip format

    private static func readZip(path: String) throws -> (entries: [Entry], values: [String: [Float]]) {
        func bad(_ reason: String) -> NeuralError { .badWeights(file: path, reason: reason) }
        let archive = try ZipArchive(path: path)
        // torch.save writes everything under one top-level folder (often `archive/`).
        guard let pickleEntry = archive.entries.first(where: {
            $0.path.hasSuffix("/data.pkl") && $0.path.split(separator: "/").count == 2
        }) else { throw bad("zip archive has no <name>/data.pkl: not a PyTorch checkpoint") }
        let prefix = String(pickleEntry.path.dropLast("data.pkl".count))
        if let order = archive.entry(named: prefix + "byteorder") {
            let value = String(decoding: try archive.contents(of: order), as: UTF8.self)
            guard value == "little" else { throw bad("byte order '\(value)' is not supported") }
        }
        let pickleBytes = try archive.contents(of: pickleEntry)
        let graph = try pickleBytes.withUnsafeBytes { raw -> PickleGraph in
            var unpickler = Unpickler(bytes: raw, file: "\(path)!\(pickleEntry.path)")
            return try unpickler.load()
        }
        let tensors = try stateDict(graph, path: path)
        // Read each storage entry once, keeping the bytes until every tensor is copied out.
        var storageData: [String: Data] = [:]
        for (_, t) in tensors where storageData[t.storage.key] == nil {
            let name = prefix + "data/" + t.storage.key
            guard let entry = archive.entry(named: name) else { throw bad("storage entry \(name) is missing") }
            let expected = t.storage.count * t.storage.dtype.byteWidth
            guard entry.uncompressedSize >= expected else {
                throw bad("storage entry \(name) has \(entry.uncompressedSize) bytes, needs \(expected)")
            }
            storageData[t.storage.key] = try archive.contents(of: entry)
        }
        var result: (entries: [Entry], values: [String: [Float]]) = ([], [:])
        for (name, t) in tensors {
            guard let data = storageData[t.storage.key] else { throw bad("storage \(t.storage.key) is missing") }
            let one = try data.withUnsafeBytes { raw in
                try materialise([(name, t)], path: path) { _ in raw }
            }
            result.entries += one.entries
            result.values.merge(one.values) { a, _ in a }
        }
        return result
    }

    // MARK: - Shared

    /// The (name, tensor) pairs of the pickled state dict, in order. Accepts a bare (Ordered)Dict of tensors, or a
    /// dict that wraps one under `state_dict`/`model_state_dict`/`model`; non-tensor values are ignored.
    private static func stateDict(_ graph: PickleGraph, path: String) throws -> [(String, TorchTensorReference)] {
        guard var entries = graph.stringKeyedEntries(ofDict: graph.root) else {
            throw NeuralError.badWeights(file: path, reason: "the checkpoint is a \(graph.rootValue.kind), not a state dict")
        }
        let hasTensors = entries.contains { if case .tensor = graph[$0.value] { true } else { false } }
        if !hasTensors, let inner = entries.first(where: { ["state_dict", "model_state_dict", "model"].contains($0.key) }),
           let innerEntries = graph.stringKeyedEntries(ofDict: inner.value) {
            entries = innerEntries
        }
        var result: [(String, TorchTensorReference)] = []
        var seen = Set<String>()
        for (key, value) in entries {
            guard case let .tensor(t) = graph[value] else { continue }
            guard seen.insert(key).inserted else {
                throw NeuralError.badWeights(file: path, reason: "tensor '\(key)' appears twice")
            }
            result.append((key, t))
        }
        guard !result.isEmpty else { throw NeuralError.badWeights(file: path, reason: "the state dict holds no tensors") }
        return result
    }

    /// Copies each tensor's elements (following its offset and strides) into a contiguous `Float` array.
    private static func materialise(_ tensors: [(String, TorchTensorReference)], path: String,
                                    storageBytes: (TorchStorageReference) throws -> UnsafeRawBufferPointer)
        throws -> (entries: [Entry], values: [String: [Float]]) {
        var entries: [Entry] = []
        var values: [String: [Float]] = [:]
        for (name, t) in tensors {
            let raw = try storageBytes(t.storage)
            guard raw.count >= t.storage.count * t.storage.dtype.byteWidth else {
                throw NeuralError.badWeights(file: path, reason: "storage of '\(name)' is shorter than declared")
            }
            let count = t.shape.reduce(1, *)
            var out = [Float](repeating: 0, count: count)
            let width = t.storage.dtype.byteWidth
            let contiguous = t.strides == rowMajorStrides(t.shape)
            out.withUnsafeMutableBufferPointer { dst in
                if contiguous, t.storage.dtype == .float32, count > 0 {
                    // Fast path: one copy (little-endian float32 on a little-endian host).
                    UnsafeMutableRawBufferPointer(dst).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[(t.offset * 4)..<((t.offset + count) * 4)]))
                    return
                }
                var index = [Int](repeating: 0, count: t.shape.count)
                for i in 0..<count {
                    var element = t.offset
                    for d in 0..<index.count { element += index[d] * t.strides[d] }
                    dst[i] = decode(raw, at: element * width, as: t.storage.dtype)
                    var d = index.count - 1
                    while d >= 0 {
                        index[d] += 1
                        if index[d] < t.shape[d] { break }
                        index[d] = 0
                        d -= 1
                    }
                }
            }
            entries.append(Entry(name: name, dtype: t.storage.dtype, shape: t.shape))
            values[name] = out
        }
        return (entries, values)
    }

    private static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = running
            running *= shape[d]
        }
        return strides
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, at byte: Int, as dtype: TorchDType) -> Float {
        switch dtype {
        case .float32: Float(bitPattern: raw.loadUnaligned(fromByteOffset: byte, as: UInt32.self))
        case .float64: Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self)))
        case .float16: Float(halfBits: raw.loadUnaligned(fromByteOffset: byte, as: UInt16.self))
        case .bfloat16: Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: byte, as: UInt16.self)) << 16)
        case .int64: Float(raw.loadUnaligned(fromByteOffset: byte, as: Int64.self))
        case .int32: Float(raw.loadUnaligned(fromByteOffset: byte, as: Int32.self))
        case .int16: Float(raw.loadUnaligned(fromByteOffset: byte, as: Int16.self))
        case .int8: Float(raw.loadUnaligned(fromByteOffset: byte, as: Int8.self))
        case .uint8: Float(raw[byte])
        case .bool: raw[byte] == 0 ? 0 : 1
        }
    }
}

extension Float {
    /// Converts IEEE 754 half-precision bits (without relying on the platform's `Float16` support).
    init(halfBits bits: UInt16) {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign != 0 ? -magnitude : magnitude
        case 31:
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
