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

    /// The canonical JSON of an item, written by ``CanonicalJSONWriter`` (same bytes as `JSONEncoder`, faster).
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` for a dimension that is not a finite number.
    func encode(_ item: Item) throws -> Data {
        var writer = CanonicalJSONWriter()
        do {
            try writer.write(item)
        } catch let error as CanonicalJSONWriter.InvalidNumber {
            throw StoreError.invalidValue(field: error.field, reason: "\(error.value) cannot be stored (not a finite number)")
        }
        return Data(writer.bytes)
    }

    /// The canonical JSON of an agent.
    func encode(_ agent: Agent) -> Data {
        var writer = CanonicalJSONWriter(capacity: 512)
        writer.write(agent)
        return Data(writer.bytes)
    }

    /// The canonical JSON of a concept.
    func encode(_ concept: Concept) -> Data {
        var writer = CanonicalJSONWriter(capacity: 128)
        writer.write(concept)
        return Data(writer.bytes)
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
