import Foundation

/// Runs the built `curio` executable in a temporary folder and captures what it prints.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout parsed as JSON.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:] }
    }

    /// A fresh temporary folder holding `curio.db`, deleted when the runner is released.
    final class Workspace {
        let folder: URL
        var database: String { folder.appendingPathComponent("curio.db").path }
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    /// The `curio` binary built next to the test bundle (`.build/<triple>/debug/curio`).
    static let executable: URL? = {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { candidates.append(bundle) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for folder in candidates {
            var current = folder
            // The bundle may be a folder (`X.xctest/…`); walk up a few levels.
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("curio")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: binary.path) {
                    return binary
                }
                current = current.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// Test fixtures (`Tests/CurioKitTests/Fixtures`).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    let workspace: Workspace

    /// Runs `curio` with `arguments` (plus `--db` of the workspace when `database` is true); `input` is piped to
    /// its stdin (otherwise stdin is inherited).
    func run(_ arguments: [String], database: Bool = true, environment: [String: String] = [:], input: String? = nil) throws -> Result {
        guard let executable = Self.executable else { throw CLIError.binaryMissing }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + (database ? ["--db", workspace.database] : [])
        process.currentDirectoryURL = workspace.folder
        var env = ProcessInfo.processInfo.environment
        env["CURIO_LOG_LEVEL"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes while the process runs, so a full pipe cannot block it.
        let group = DispatchGroup()
        let collected = Collected()
        group.enter()
        DispatchQueue.global().async { collected.set(out: out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        group.enter()
        DispatchQueue.global().async { collected.set(err: err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: collected.out, stderr: collected.err)
    }

    enum CLIError: Error, CustomStringConvertible {
        case binaryMissing
        var description: String { "the curio executable was not found next to the test bundle; run `swift build --build-tests` first" }
    }
}

/// Output gathered from two reader threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()
    func set(out: Data) { lock.lock(); outData = out; lock.unlock() }
    func set(err: Data) { lock.lock(); errData = err; lock.unlock() }
    var out: String { lock.lock(); defer { lock.unlock() }; return String(decoding: outData, as: UTF8.self) }
    var err: String { lock.lock(); defer { lock.unlock() }; return String(decoding: errData, as: UTF8.self) }
}
