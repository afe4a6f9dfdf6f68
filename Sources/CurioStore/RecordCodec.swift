import CurioCore
import Foundation

/// Encodes stored records as canonical JSON and fingerprints them.
///
/// Canonical means the default `Codable` keys with sorted keys, so equal records give equal bytes and equal
/// hashes, and two stores holding the same data compare byte for byte. Each ``Database`` connection owns one
/// codec, so encoders and decoders are never shared between threads.
final class RecordCodec {
    private let encoder: JSONEncoder
    private let decoder = JSONDecoder()

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// The canonical JSON of `value`.
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` naming `what` when the value cannot be encoded
    ///   (for example a dimension that is not a finite number).
    func encode<T: Encodable>(_ value: T, what: @autoclosure () -> String) throws -> Data {
        do {
            return try encoder.encode(value)
        } catch {
            throw StoreError.invalidValue(field: what(), reason: "cannot be encoded (\(error))")
        }
    }

    /// Decodes a stored record.
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` when the stored JSON does not decode (a damaged row).
    func decode<T: Decodable>(_ type: T.Type, from data: Data, what: @autoclosure () -> String) throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw StoreError.invalidValue(field: what(), reason: "stored record cannot be read (\(error))")
        }
    }

    /// The SHA-256 of canonical bytes, used as the record's content hash.
    static func contentHash(_ data: Data) -> [UInt8] {
        SHA256.hash(data).bytes
    }
}
