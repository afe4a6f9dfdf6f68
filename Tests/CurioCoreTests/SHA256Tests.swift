import Foundation
import Testing
@testable import CurioCore

@Suite("SHA-256 digests")
struct SHA256Tests {
    @Test("FIPS 180-4 and NIST vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hash(input).hex == expected)
    }

    @Test func millionAsMatchesTheNISTVector() {
        var h = SHA256()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(block) }
        #expect(h.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let data = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let whole = SHA256.hash(data)
        for split in [1, 55, 56, 63, 64, 65, 127, 500] {
            var h = SHA256()
            var rest = data[...]
            while !rest.isEmpty {
                let part = rest.prefix(split)
                h.update(Data(part))
                rest = rest.dropFirst(split)
            }
            #expect(h.finalize() == whole, "split \(split)")
        }
    }

    @Test func hashingAFileMatchesHashingItsBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("curio-sha-\(UUID().uuidString)")
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0) })
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try SHA256.hash(fileAt: url.path) == SHA256.hash(data))
    }
}
