import CurioCore
import Foundation

/// A trained model as saved on disk: a JSON header (model name and version, hyper-parameters, seed, item and
/// visitor ids, tensor directory) followed by raw little-endian arrays and a checksum.
///
/// File layout (all integers little-endian):
///
/// | offset | size | content |
/// |---|---|---|
/// | 0 | 8 | magic `CURIOREC` |
/// | 8 | 4 | container format version (UInt32, currently 1) |
/// | 12 | 4 | header length H in bytes (UInt32) |
/// | 16 | H | header, UTF-8 JSON (keys below) |
/// | 16+H | … | tensor data; each tensor starts at an offset (from the start of this block) that is a multiple of 8 |
/// | end−8 | 8 | FNV-1a 64-bit hash of every preceding byte (UInt64) |
///
/// Header keys: `model` (e.g. `als`), `model_version` (integer, bumped when a model's tensors change meaning),
/// `seed`, `created_at` (ISO 8601), `parameters` (the model's configuration object), `items` (catalogue ids in
/// column order), `users` (training visitor ids in row order), `metadata` (string map: training summary),
/// `tensors` (list of `{name, dtype: f32|f64|i32, shape, offset, count}`).
///
/// Any truncation, bit flip, unknown version or inconsistent directory is rejected with
/// ``RecommendError/badArtefact(path:reason:)``.
public struct ModelArtefact: Sendable {
    /// Model name (`popularity`, `itemknn`, `ease`, `als`, `bpr`, `content`, `hybrid`).
    public var model: String
    /// Version of the model's tensor layout.
    public var modelVersion: Int
    public var seed: UInt64
    public var createdAt: Date
    /// The configuration, as JSON.
    public var parameters: Data
    public var itemIDs: [ItemID]
    public var userIDs: [VisitorID]
    /// Free-form training summary (`training_seconds`, `interactions`, …).
    public var metadata: [String: String]
    /// Named arrays.
    public var tensors: [String: Tensor]
    /// Where the artefact was read from (for error messages); `<memory>` for one built in-process.
    public var source: String = "<memory>"

    /// The container format version this build writes and reads.
    public static let formatVersion: UInt32 = 1
    static let magic: [UInt8] = Array("CURIOREC".utf8)

    /// A named array with its shape.
    public enum Tensor: Sendable, Equatable {
        case float32([Float], shape: [Int])
        case float64([Double], shape: [Int])
        case int32([Int32], shape: [Int])

        var dtype: String {
            switch self {
            case .float32: "f32"
            case .float64: "f64"
            case .int32: "i32"
            }
        }
        var shape: [Int] {
            switch self {
            case let .float32(_, s), let .float64(_, s), let .int32(_, s): s
            }
        }
        var count: Int {
            switch self {
            case let .float32(v, _): v.count
            case let .float64(v, _): v.count
            case let .int32(v, _): v.count
            }
        }
        var byteCount: Int {
            switch self {
            case let .float32(v, _): v.count * 4
            case let .float64(v, _): v.count * 8
            case let .int32(v, _): v.count * 4
            }
        }
    }

    public init(model: String, modelVersion: Int, seed: UInt64, parameters: some Encodable, itemIDs: [ItemID],
                userIDs: [VisitorID] = [], metadata: [String: String] = [:], tensors: [String: Tensor] = [:],
                createdAt: Date = Date()) throws(RecommendError) {
        self.model = model
        self.modelVersion = modelVersion
        self.seed = seed
        self.createdAt = createdAt
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            self.parameters = try encoder.encode(parameters)
        } catch {
            throw .invalidData("parameters of \(model) cannot be encoded: \(error)")
        }
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.metadata = metadata
        self.tensors = tensors
    }

    /// Decodes the stored configuration.
    public func decodeParameters<C: Decodable>(_ type: C.Type) throws(RecommendError) -> C {
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(type, from: parameters)
        } catch {
            throw .badArtefact(path: source, reason: "parameters do not match model \(model): \(error)")
        }
    }

    // MARK: Tensor access with validation

    /// A float tensor with the expected number of values (pass nil to accept any).
    public func floats(_ name: String, count expected: Int? = nil) throws(RecommendError) -> [Float] {
        guard case let .float32(values, _)? = tensors[name] else {
            throw .badArtefact(path: source, reason: "tensor '\(name)' (f32) is missing")
        }
        if let expected, values.count != expected {
            throw .badArtefact(path: source, reason: "tensor '\(name)' has \(values.count) values, expected \(expected)")
        }
        return values
    }

    /// A double tensor with the expected number of values (pass nil to accept any).
    public func doubles(_ name: String, count expected: Int? = nil) throws(RecommendError) -> [Double] {
        guard case let .float64(values, _)? = tensors[name] else {
            throw .badArtefact(path: source, reason: "tensor '\(name)' (f64) is missing")
        }
        if let expected, values.count != expected {
            throw .badArtefact(path: source, reason: "tensor '\(name)' has \(values.count) values, expected \(expected)")
        }
        return values
    }

    /// An int tensor with the expected number of values (pass nil to accept any).
    public func ints(_ name: String, count expected: Int? = nil) throws(RecommendError) -> [Int32] {
        guard case let .int32(values, _)? = tensors[name] else {
            throw .badArtefact(path: source, reason: "tensor '\(name)' (i32) is missing")
        }
        if let expected, values.count != expected {
            throw .badArtefact(path: source, reason: "tensor '\(name)' has \(values.count) values, expected \(expected)")
        }
        return values
    }

    /// Checks that the artefact is of the given model and version.
    public func require(model expected: String, version: Int) throws(RecommendError) {
        guard model == expected else {
            throw .badArtefact(path: source, reason: "holds model '\(model)', expected '\(expected)'")
        }
        guard modelVersion == version else {
            throw .badArtefact(path: source, reason: "model version \(modelVersion) is not supported (this build reads version \(version)); retrain with `curio train`")
        }
    }

    // MARK: Encoding

    /// The artefact's bytes in the documented layout.
    public func encoded() throws(RecommendError) -> Data {
        var directory: [[String: Any]] = []
        var offset = 0
        for name in tensors.keys.sorted() {
            guard let t = tensors[name] else { continue }
            directory.append(["name": name, "dtype": t.dtype, "shape": t.shape, "offset": offset, "count": t.count])
            offset += (t.byteCount + 7) / 8 * 8
        }
        let parametersObject: Any
        do {
            parametersObject = try JSONSerialization.jsonObject(with: parameters, options: [.fragmentsAllowed])
        } catch {
            throw .invalidData("parameters are not JSON: \(error)")
        }
        let header: [String: Any] = [
            "model": model, "model_version": modelVersion, "seed": String(seed),
            "created_at": ISO8601DateFormatter().string(from: createdAt),
            "parameters": parametersObject, "items": itemIDs.map(\.rawValue), "users": userIDs.map(\.rawValue),
            "metadata": metadata, "tensors": directory,
        ]
        let headerData: Data
        do {
            headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        } catch {
            throw .invalidData("artefact header cannot be encoded: \(error)")
        }
        guard headerData.count < Int(UInt32.max) else { throw .invalidData("artefact header is larger than 4 GiB") }
        var out = Data()
        out.reserveCapacity(16 + headerData.count + offset + 8)
        out.append(contentsOf: Self.magic)
        appendLE(&out, Self.formatVersion)
        appendLE(&out, UInt32(headerData.count))
        out.append(headerData)
        for name in tensors.keys.sorted() {
            guard let t = tensors[name] else { continue }
            switch t {
            case let .float32(v, _): v.withUnsafeBytes { out.append(contentsOf: $0) }
            case let .float64(v, _): v.withUnsafeBytes { out.append(contentsOf: $0) }
            case let .int32(v, _): v.withUnsafeBytes { out.append(contentsOf: $0) }
            }
            let padding = (t.byteCount + 7) / 8 * 8 - t.byteCount
            if padding > 0 { out.append(contentsOf: [UInt8](repeating: 0, count: padding)) }
        }
        appendLE(&out, Self.fnv1a(out))
        return out
    }

    /// Writes the artefact atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws(RecommendError) {
        let data = try encoded()
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: [.atomic])
        } catch {
            throw .io(path: url.path, reason: "cannot write model artefact: \(error.localizedDescription)")
        }
    }

    /// Reads and checks an artefact file.
    public static func read(from url: URL) throws(RecommendError) -> ModelArtefact {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .io(path: url.path, reason: "cannot read model artefact: \(error.localizedDescription)")
        }
        return try decode(data, source: url.path)
    }

    /// Decodes artefact bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "<memory>") throws(RecommendError) -> ModelArtefact {
        func bad(_ reason: String) -> RecommendError { .badArtefact(path: source, reason: reason) }
        let bytes = [UInt8](data)
        guard bytes.count >= 24 else { throw bad("file is too short (\(bytes.count) bytes) to be a Curio model") }
        guard Array(bytes[0..<8]) == magic else { throw bad("not a Curio model artefact (wrong magic bytes)") }
        let storedHash = readLE(bytes, at: bytes.count - 8, as: UInt64.self)
        guard fnv1a(bytes[0..<(bytes.count - 8)]) == storedHash else {
            throw bad("checksum mismatch: the file is truncated or corrupted")
        }
        let version = readLE(bytes, at: 8, as: UInt32.self)
        guard version == formatVersion else {
            throw bad("container format version \(version) is not supported (this build reads \(formatVersion))")
        }
        let headerLength = Int(readLE(bytes, at: 12, as: UInt32.self))
        guard 16 + headerLength <= bytes.count - 8 else { throw bad("header length \(headerLength) runs past the end") }
        let headerData = Data(bytes[16..<(16 + headerLength)])
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw bad("header is not a JSON object")
        }
        guard let model = header["model"] as? String else { throw bad("header lacks 'model'") }
        guard let modelVersion = header["model_version"] as? Int else { throw bad("header lacks 'model_version'") }
        guard let seedText = header["seed"] as? String, let seed = UInt64(seedText) else { throw bad("header lacks 'seed'") }
        guard let items = header["items"] as? [String] else { throw bad("header lacks 'items'") }
        let users = header["users"] as? [String] ?? []
        let metadata = header["metadata"] as? [String: String] ?? [:]
        guard let parametersObject = header["parameters"] else { throw bad("header lacks 'parameters'") }
        let parameters: Data
        do {
            parameters = try JSONSerialization.data(withJSONObject: parametersObject, options: [.sortedKeys, .fragmentsAllowed])
        } catch {
            throw bad("parameters cannot be read: \(error)")
        }
        let createdAt = (header["created_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date(timeIntervalSince1970: 0)
        guard let directory = header["tensors"] as? [[String: Any]] else { throw bad("header lacks 'tensors'") }
        let base = 16 + headerLength
        let payloadEnd = bytes.count - 8
        var tensors: [String: Tensor] = [:]
        for entry in directory {
            guard let name = entry["name"] as? String, let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offset = entry["offset"] as? Int,
                  let count = entry["count"] as? Int else {
                throw bad("a tensor directory entry is incomplete")
            }
            guard count >= 0, offset >= 0, offset % 8 == 0 else { throw bad("tensor '\(name)' has a bad offset or count") }
            guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
                throw bad("tensor '\(name)' shape \(shape) does not hold \(count) values")
            }
            let width: Int
            switch dtype {
            case "f32", "i32": width = 4
            case "f64": width = 8
            default: throw bad("tensor '\(name)' has unknown dtype '\(dtype)'")
            }
            let start = base + offset
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, start + byteCount <= payloadEnd else { throw bad("tensor '\(name)' runs past the end of the file") }
            let slice = bytes[start..<(start + byteCount)]
            switch dtype {
            case "f32": tensors[name] = .float32(copyValues(slice, count: count), shape: shape)
            case "f64": tensors[name] = .float64(copyValues(slice, count: count), shape: shape)
            default: tensors[name] = .int32(copyValues(slice, count: count), shape: shape)
            }
        }
        var artefact: ModelArtefact
        do {
            artefact = try ModelArtefact(model: model, modelVersion: modelVersion, seed: seed, parameters: [String: String](),
                                         itemIDs: items.map(ItemID.init(rawValue:)), userIDs: users.map(VisitorID.init(rawValue:)),
                                         metadata: metadata, tensors: tensors, createdAt: createdAt)
        } catch {
            throw bad("\(error)")
        }
        artefact.parameters = parameters
        artefact.source = source
        return artefact
    }

    // MARK: Byte helpers

    private func appendLE<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as type: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
        return value
    }

    /// Copies raw little-endian bytes (of any alignment) into a typed array.
    private static func copyValues<T>(_ slice: ArraySlice<UInt8>, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            slice.withUnsafeBytes { raw in
                if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
            }
            initialized = count
        }
    }

    /// 64-bit FNV-1a hash.
    static func fnv1a<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
