import CurioJSON
@testable import CurioKit
@testable import CurioServer
import Foundation
import Testing

/// The recommendation list's hand-written JSON says exactly what the API's `JSONEncoder` says.
@Suite struct RecommendationJSONTests {
    static let full = RecommendationList(
        visitor: "v-\"quoted\"/1", model: "hybrid", modelVersion: 3, strategy: .model, policy: "default", policyVersion: 2,
        historyItems: 4,
        items: [
            RecommendedItem(id: "T01234", score: 0.812_345_7, modelScore: 12.5, title: "Norham Castle, Sunrise", makers: ["J. M. W. Turner", "Studio"],
                            date: "c.1845", because: [
                                BecauseEvidence(type: "shared_maker", item: "T00001", itemTitle: "The Fighting Temeraire\n(detail)",
                                                via: "agent:tate:artist:558", viaLabel: "Joseph Mallord William Turner",
                                                details: ["#aabbcc", "tab\there"], weight: 0.6),
                                BecauseEvidence(type: "curator_boost", weight: 0),
                            ],
                            explanation: "Because you liked *The Fighting Temeraire*: also by Turner",
                            adjustments: [PolicyAdjustment(kind: "fairness", detail: "maker_gender=Female below its exposure target")]),
            RecommendedItem(id: "P9", score: 1e-7, modelScore: -0.25, title: "Ünïcode 葛飾北斎", makers: [], date: nil, because: [],
                            explanation: "Popular with visitors to the collection", adjustments: []),
        ])

    static let bare = RecommendationList(visitor: "nobody", model: "popularity", modelVersion: nil, strategy: .popular, policy: nil,
                                         policyVersion: nil, historyItems: 0, items: [])

    @Test(arguments: [full, bare])
    func writtenJSONIsTheEncodersJSON(_ list: RecommendationList) throws {
        let written = list.jsonBody()
        let encoded = try APIJSON.encoder.encode(list)
        #expect(try JSONParser.parse(written) == JSONParser.parse(encoded))
        #expect(try JSONDecoder().decode(RecommendationList.self, from: written) == list)
    }

    @Test func keysAreSortedAsTheEncoderSortsThem() throws {
        let written = String(decoding: Self.bare.jsonBody(), as: UTF8.self)
        #expect(written == #"{"history_items":0,"items":[],"model":"popularity","strategy":"popular","visitor":"nobody"}"#)
    }
}
