import CurioCore
import Foundation

/// The "folder of images keyed by item id" rule: `images/<id>.jpg` (or `.jpeg`, `.png`, `.tif`, `.tiff`, `.webp`,
/// any letter case) next to the data gives the image of item `<id>`.
///
/// The folder is listed once when the value is made, so looking an id up costs a dictionary access.
/// When several files share an id (`A1.png` and `A1.jpg`), the earlier extension in ``extensions`` wins.
/// Importers use it for records that name no image themselves.
public struct ImageFolder: Sendable {
    /// Extensions recognised as images, in order of preference.
    public static let extensions = ["jpg", "jpeg", "png", "tif", "tiff", "webp"]
    /// The folder's absolute path.
    public let folder: URL
    private let folderPath: String
    private let filesByStem: [String: String]

    /// Lists `folder` (not recursively).
    /// - Throws: ``IngestError/fileMissing(path:)`` when the folder does not exist,
    ///   ``IngestError/unreadable(path:reason:)`` when it cannot be listed.
    public init(folder: URL) throws {
        let absolute = folder.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw IngestError.fileMissing(path: absolute.path) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: absolute.path)
        } catch {
            throw IngestError.unreadable(path: absolute.path, reason: error.localizedDescription)
        }
        var best: [String: (rank: Int, name: String)] = [:]
        for name in names {
            guard let dot = name.lastIndex(of: "."), dot > name.startIndex,
                  let rank = Self.extensions.firstIndex(of: name[name.index(after: dot)...].lowercased()) else { continue }
            let stem = String(name[..<dot])
            if let current = best[stem], current.rank < rank || (current.rank == rank && current.name < name) {
                continue
            }
            best[stem] = (rank, name)
        }
        self.folder = absolute
        self.folderPath = absolute.path.hasSuffix("/") ? absolute.path : absolute.path + "/"
        self.filesByStem = best.mapValues(\.name)
    }

    /// The folder named `name` (default `images`) beside `dataFile` (or inside it, when `dataFile` is a folder),
    /// or nil when there is no such folder.
    public static func beside(_ dataFile: URL, named name: String = "images") -> ImageFolder? {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: dataFile.path, isDirectory: &isDirectory)
        let base = exists && isDirectory.boolValue ? dataFile : dataFile.deletingLastPathComponent()
        return try? ImageFolder(folder: base.appendingPathComponent(name, isDirectory: true))
    }

    /// Number of images found.
    public var count: Int { filesByStem.count }

    /// The image of `id` in this folder as a `.file` reference with an absolute path, or nil.
    public func image(for id: ItemID) -> ImageReference? {
        guard let name = filesByStem[id.rawValue] else { return nil }
        return ImageReference(kind: .file, location: folderPath + name)
    }
}
