import CurioJSON
import CurioKit
import Foundation

/// The JSON of a recommendation list, written directly (keys sorted, as ``APIJSON/encoder`` writes them; `nil`
/// fields left out, as its synthesised `Codable` does).
///
/// Every recommendation request answers with one of these; through `JSONEncoder` the encoding cost a sixth of the
/// request. Tests hold the two to the same JSON value for lists with every field present and absent.
extension RecommendationList {
    /// The list as the API's JSON body.
    func jsonBody() -> Data {
        var w = JSONWriter(capacity: 1_024 + 1_024 * items.count)
        w.beginObject()
        w.key("history_items"); w.number(historyItems)
        w.key("items")
        w.beginArray()
        for item in items { item.write(to: &w) }
        w.endArray()
        w.key("model"); w.string(model)
        if let modelVersion { w.key("model_version"); w.number(modelVersion) }
        if let policy { w.key("policy"); w.string(policy) }
        if let policyVersion { w.key("policy_version"); w.number(policyVersion) }
        w.key("strategy"); w.string(strategy.rawValue)
        w.key("visitor"); w.string(visitor)
        w.endObject()
        return Data(w.bytes)
    }
}

extension RecommendedItem {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("adjustments")
        w.beginArray()
        for a in adjustments {
            w.beginObject()
            w.key("detail"); w.string(a.detail)
            w.key("kind"); w.string(a.kind)
            w.endObject()
        }
        w.endArray()
        w.key("because")
        w.beginArray()
        for e in because { e.write(to: &w) }
        w.endArray()
        if let date { w.key("date"); w.string(date) }
        w.key("explanation"); w.string(explanation)
        w.key("id"); w.string(id)
        w.key("makers"); w.strings(makers)
        w.key("model_score"); w.number(modelScore)
        w.key("score"); w.number(score)
        w.key("title"); w.string(title)
        w.endObject()
    }
}

extension BecauseEvidence {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        if let details { w.key("details"); w.strings(details) }
        if let item { w.key("item"); w.string(item) }
        if let itemTitle { w.key("item_title"); w.string(itemTitle) }
        w.key("type"); w.string(type)
        if let via { w.key("via"); w.string(via) }
        if let viaLabel { w.key("via_label"); w.string(viaLabel) }
        w.key("weight"); w.number(weight)
        w.endObject()
    }
}
