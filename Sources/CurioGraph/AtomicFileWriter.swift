import Foundation

/// Writes a file through a buffer into a temporary sibling, then renames it into place,
/// so readers never see a half-written export and a failure leaves any earlier file untouched.
final class AtomicFileWriter {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var committed = false

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let h = FileHandle(forWritingAtPath: temporaryPath) else {
            throw GraphError.cannotWrite(path: path, reason: "cannot create a file in its folder")
        }
        handle = h
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw GraphError.cannotWrite(path: path, reason: "\(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file over `path`.
    func commit() throws {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw GraphError.cannotWrite(path: path, reason: "\(error.localizedDescription)")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw GraphError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
    }
}
