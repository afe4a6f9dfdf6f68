import Foundation
import Testing
@testable import CurioNeural

@Suite("safetensors reader")
struct SafetensorsFileTests {
    /// Bytes of a safetensors file: 8-byte little-endian header length, the JSON header, then `data`.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        let json = Array(header.utf8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        bytes += json
        bytes += data
        return bytes
    }

    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    /// A valid file with an F32 [2, 3] matrix, an F16 vector, a BF16 vector and an I64 vector.
    static let validHeader = """
        {"__metadata__":{"format":"pt"},
         "w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
         "h":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},
         "b":{"dtype":"BF16","shape":[2],"data_offsets":[28,32]},
         "ids":{"dtype":"I64","shape":[1],"data_offsets":[32,40]}}
        """
    static let validData: [UInt8] = floats([1, 2, 3, 4, 5, -6.5])
        + [0x00, 0x3C, 0x00, 0xC0]          // F16 1.0, -2.0
        + [0x80, 0x3F, 0x40, 0x40]          // BF16 1.0, 3.0
        + [7, 0, 0, 0, 0, 0, 0, 0]          // I64 7

    func write(_ bytes: [UInt8]) throws -> (dir: URL, path: String) {
        let dir = try NeuralTestSupport.temporaryDirectory()
        let url = dir.appendingPathComponent("model.safetensors")
        try Data(bytes).write(to: url)
        return (dir, url.path)
    }

    /// Expects opening `bytes` to fail with badWeights mentioning `fragment`.
    func expectRejected(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (dir, path) = try write(bytes)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("accepted a bad file (expected '\(fragment)')", sourceLocation: sourceLocation)
        } catch let NeuralError.badWeights(file, reason) {
            #expect(file == path, sourceLocation: sourceLocation)
            #expect(reason.contains(fragment), "reason: \(reason)", sourceLocation: sourceLocation)
        }
    }

    @Test func readsAndConvertsFloatTensors() throws {
        let (dir, path) = try write(Self.file(header: Self.validHeader, data: Self.validData))
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try SafetensorsFile(path: path)
        #expect(file.names == ["b", "h", "ids", "w"])
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.tensor(named: "w") == Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, -6.5]))
        #expect(try file.tensor(named: "h").storage == [1, -2])
        #expect(try file.tensor(named: "b").storage == [1, 3])
        #expect(file.tensors["ids"]?.dtype == .i64)
    }

    @Test func wrongDtypeShapeOrNameAreClearErrors() throws {
        let (dir, path) = try write(Self.file(header: Self.validHeader, data: Self.validData))
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try SafetensorsFile(path: path)
        #expect(throws: NeuralError.badWeights(file: path, reason: "tensor 'ids' has dtype I64, which is not a floating-point type")) {
            try file.tensor(named: "ids")
        }
        #expect(throws: NeuralError.shapeMismatch(name: "w", expected: [3, 2], found: [2, 3])) {
            try file.tensor(named: "w", shape: [3, 2])
        }
        #expect(throws: NeuralError.missingTensor(file: path, name: "nope")) { try file.tensor(named: "nope") }
    }

    @Test func truncatedFilesAreRejected() throws {
        let full = Self.file(header: Self.validHeader, data: Self.validData)
        try expectRejected(Array(full.prefix(5)), "shorter than the 8-byte header length")
        try expectRejected(Array(full.prefix(60)), "runs past the end")
        try expectRejected(Array(full.dropLast(3)), "truncated file")
    }

    @Test func inconsistentHeadersAreRejected() throws {
        let data = Self.floats([1, 2, 3, 4])
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: data),
                           "needs 12")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: data),
                           "overlaps")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: data),
                           "belong to no tensor")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: data),
                           "tensors cover 8")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}}"#, data: data),
                           "unknown dtype 'Q4'")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#, data: data),
                           "invalid shape")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}"#, data: data),
                           "invalid data_offsets")
        try expectRejected(Self.file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]"#, data: data),
                           "not valid JSON")
        try expectRejected(Self.file(header: #"["a"]"#, data: data), "JSON object")
        var huge = withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) }
        huge += data
        try expectRejected(huge, "not plausible")
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: NeuralError.io(path: "/nonexistent/model.safetensors", reason: "No such file or directory")) {
            try SafetensorsFile(path: "/nonexistent/model.safetensors")
        }
    }

    @Test func truncatedRealModelIsRejectedBeforeLoading() throws {
        // The real MiniLM file with its last kilobyte cut off, as an interrupted copy would leave it.
        let source = try NeuralTestSupport.miniLMDirectory()
        let dir = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let weights = try FileHandle(forReadingFrom: source.appendingPathComponent("model.safetensors"))
        let size = try weights.seekToEnd()
        try weights.seek(toOffset: 0)
        let kept = try weights.read(upToCount: Int(size) - 1024) ?? Data()
        try weights.close()
        try kept.write(to: dir.appendingPathComponent("model.safetensors"))
        do {
            _ = try TextEncoder(modelDirectory: dir)
            Issue.record("a truncated model loaded")
        } catch let NeuralError.badWeights(file, reason) {
            #expect(file.hasSuffix("model.safetensors"))
            #expect(reason.contains("pooler.dense.weight"), "names the tensor that is cut: \(reason)")
        }
    }
}
