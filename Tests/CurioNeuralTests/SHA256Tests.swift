import Foundation
import Testing
@testable import CurioNeural

@Suite("SHA-256 (FIPS 180-4)")
struct SHA256Tests {
    @Test("FIPS 180-4 example messages", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(Data(message.utf8)) == digest)
    }

    @Test func oneMillionAs() {
        #expect(SHA256.hexDigest(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundaries (55/56 and 119/120 bytes), digests from Python's hashlib.
    @Test("padding boundaries", arguments: [
        (1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (111, "60780e9451bdc43cf4530ffc95cbb0c4eb24dae2c39f55f334d679e076c08065"),
        (112, "09373f127d34e61dbbaa8bc4499c87074f2ddb10e1b465f506d7d70a15011979"),
        (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
        (127, "92ca0fa6651ee2f97b884b7246a562fa71250fedefe5ebf270d31c546bfea976"),
        (128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"),
        (1000, "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d"),
    ])
    func boundaryLengths(length: Int, digest: String) {
        let message = Data((0..<length).map { UInt8($0 % 251) })
        #expect(SHA256.hexDigest(message) == digest)
    }

    @Test func streamingInUnevenChunksEqualsOneShot() {
        let message = [UInt8]((0..<1000).map { UInt8($0 % 251) })
        for chunk in [1, 3, 63, 64, 65, 200] {
            var hasher = SHA256()
            var offset = 0
            while offset < message.count {
                hasher.update(Array(message[offset..<min(message.count, offset + chunk)]))
                offset += chunk
            }
            #expect(SHA256.hex(hasher.finalize()) == "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d")
        }
    }

    @Test func hashesFilesAndReportsMissingOnes() throws {
        let dir = try NeuralTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.bin")
        try Data("abc".utf8).write(to: url)
        #expect(try SHA256.hexDigest(ofFile: url.path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(throws: NeuralError.self) { try SHA256.hexDigest(ofFile: dir.appendingPathComponent("none").path) }
    }
}
