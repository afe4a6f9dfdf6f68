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

    /// The record's content hash: 8 bytes of a fast 64-bit hash of its canonical JSON.
    ///
    /// It only has to tell a changed record from its stored version, so it need not be cryptographic; a
    /// matching hash is confirmed by comparing the stored record before a record is counted as unchanged, so a
    /// collision can never hide a change. (Hashing every record with SHA-256 took 8% of an ingest.)
    static func contentHash(_ data: Data) -> Data {
        let multiplier1: UInt64 = 0x9E37_79B9_7F4A_7C15
        let multiplier2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var h: UInt64 = 0x2545_F491_4F6C_DD1D ^ (UInt64(data.count) &* multiplier1)
        data.withUnsafeBytes { raw in
            var i = 0
            let n = raw.count
            while i + 8 <= n {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                h = (h ^ (word &* multiplier2)).rotateLeft(31) &* multiplier1
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ (tail &* multiplier2)).rotateLeft(31) &* multiplier1
        }
        // Final avalanche (SplitMix64's finaliser).
        h ^= h >> 30
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 27
        h &*= 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        return withUnsafeBytes(of: h.bigEndian) { Data($0) }
    }
}

private extension UInt64 {
    func rotateLeft(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
