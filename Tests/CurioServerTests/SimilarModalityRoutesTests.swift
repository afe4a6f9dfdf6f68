import CurioCore
import CurioKit
import CurioStore
import Foundation
import Testing

/// `GET /v1/items/{id}/similar?modality=…` uses the stored text, image and fused vectors, and says when it cannot.
@Suite struct SimilarModalityRoutesTests {
    @Test func eachModalityUsesItsVectorsAndMissingOnesAre409() throws {
        let server = try TestServer()
        // Nothing embedded: text is refused, fused answers on the metadata and says so.
        let noText = try server.client.get("/v1/items/N00001/similar?modality=text")
        #expect(noText.status == 409, "\(noText.text)")
        #expect(noText.object["type"] as? String == "/v1/problems/modality-unavailable")
        #expect((noText.object["detail"] as? String)?.contains("no text vectors stored: run `curio embed`") == true)
        let fallback = try server.client.get("/v1/items/N00001/similar?modality=fused")
        #expect(fallback.status == 200 && fallback.object["modality"] as? String == "metadata")
        #expect((fallback.object["warnings"] as? [String])?.first?.contains("curio embed") == true)

        let vectors = try #require(server.curio.store as? any ItemVectorStore)
        try vectors.writeVectors([
            ItemVector(item: "N00001", contentHash: "a", values: [1, 0, 0]),
            ItemVector(item: "N00002", contentHash: "b", values: [0, 1, 0]),
            ItemVector(item: "N00003", contentHash: "c", values: [0.9, 0.1, 0]),
            ItemVector(item: "P00004", contentHash: "d", values: [0, 0, 1]),
        ], model: server.curio.textEncoderModelID, dimension: 3)
        try vectors.writeVectors([
            ItemVector(item: "N00001", contentHash: "a", values: [1, 0, 0, 0]),
            ItemVector(item: "N00002", contentHash: "b", values: [0.9, 0.1, 0, 0]),
            ItemVector(item: "N00003", contentHash: "c", values: [0, 0, 1, 0]),
        ], model: ImageEmbedding.modelID, dimension: 4)

        func ids(_ response: RawResponse) -> [String] {
            (response.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        let text = try server.client.get("/v1/items/N00001/similar?modality=text&k=2")
        #expect(text.status == 200, "\(text.text)")
        #expect(text.object["modality"] as? String == "text" && ids(text).first == "N00003")
        let image = try server.client.get("/v1/items/N00001/similar?modality=image&k=2")
        #expect(image.status == 200 && image.object["modality"] as? String == "image")
        #expect(ids(image).first == "N00002")
        let fused = try server.client.get("/v1/items/N00001/similar?k=2")
        #expect(fused.object["modality"] as? String == "fused" && fused.object["modalities"] as? [String] == ["text"])
        #expect((fused.object["warnings"] as? [String])?.first?.contains("curio fuse") == true)
        #expect((fused.object["fusion"] as? [String: Any])?["source"] as? String == "default")
        let metadata = try server.client.get("/v1/items/N00001/similar?modality=metadata")
        #expect(metadata.status == 200 && metadata.object["modality"] as? String == "metadata")

        let noImage = try server.client.get("/v1/items/P00004/similar?modality=image")
        #expect(noImage.status == 409 && (noImage.object["detail"] as? String)?.contains("'P00004' has no image vector") == true)
        // Text→image search needs the projection.
        let search = try server.client.get("/v1/search?q=sea&modality=image")
        #expect(search.status == 409 && (search.object["detail"] as? String)?.contains("curio fuse") == true)
        #expect(try server.client.get("/v1/search?q=sea&modality=sound").status == 400)
        #expect(try server.client.get("/v1/items/N00001/similar?modality=smell").status == 400)
    }
}
