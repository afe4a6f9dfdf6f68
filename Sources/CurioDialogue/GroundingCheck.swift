import CurioCore
import Foundation

/// Verifies that a language model's answer mentions only objects that exist and facts that are stored.
///
/// The model must answer with JSON: `{"text": "...", "items": ["N01234", ...], "facts": [{"item": "N01234",
/// "field": "date|maker|medium|title|movement|subject", "value": "..."}]}`. The check rejects the answer when:
/// an item id is not in the collection, or was not returned by a tool during this conversation; a title written
/// in italics (`*...*`) is not the title of a cited item; an id-shaped token in the text is unknown; or a stated
/// fact differs from the stored one.
public struct GroundingCheck: Sendable {
    public let catalogue: DialogueCatalogue
    public init(catalogue: DialogueCatalogue) { self.catalogue = catalogue }

    /// A parsed, verified answer.
    public struct Answer: Sendable, Equatable {
        public var text: String
        public var items: [ItemID]
    }

    /// Parses and checks `content`; `seen` holds ids that tools returned (or that were shown before).
    /// - Throws: ``DialogueError/llmUngrounded(reason:)`` naming the first problem.
    public func verify(_ content: String, seen: Set<ItemID>) throws -> Answer {
        guard let start = content.firstIndex(of: "{"), let end = content.lastIndex(of: "}"),
              let object = try? JSONSerialization.jsonObject(with: Data(content[start...end].utf8)) as? [String: Any],
              let text = object["text"] as? String else {
            throw DialogueError.llmUngrounded(reason: "the answer is not the required JSON object with a \"text\" field")
        }
        let ids = (object["items"] as? [Any] ?? []).compactMap { $0 as? String }.map { ItemID($0) }
        for id in ids {
            guard catalogue.facts(id) != nil else { throw DialogueError.llmUngrounded(reason: "item \(id) does not exist in the collection") }
            guard seen.contains(id) else { throw DialogueError.llmUngrounded(reason: "item \(id) was not returned by any tool") }
        }
        // Id-shaped tokens in the text (letters followed by digits, like N01234 or tate ids) must be real and cited.
        for token in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != ":" }) {
            let t = String(token)
            guard t.count >= 5, t.first?.isLetter == true, t.filter(\.isNumber).count >= 4 else { continue }
            let id = ItemID(t)
            if catalogue.facts(id) == nil { throw DialogueError.llmUngrounded(reason: "the text names \(t), which is not in the collection") }
            if !ids.contains(id) && !seen.contains(id) { throw DialogueError.llmUngrounded(reason: "the text names \(t) without citing it") }
        }
        // Titles in italics must belong to cited items.
        let titles = Set(ids.compactMap { catalogue.facts($0).map { TextNormalizer.fold($0.title) } })
        for span in MarkdownItalics.spans(in: text) {
            let title = TextNormalizer.fold(span)
            if !title.isEmpty, !titles.contains(title) {
                throw DialogueError.llmUngrounded(reason: "the title *\(span)* is not the title of a cited object")
            }
        }
        for (n, raw) in (object["facts"] as? [Any] ?? []).enumerated() {
            guard let fact = raw as? [String: Any], let itemRaw = fact["item"] as? String, let field = fact["field"] as? String,
                  let value = fact["value"] as? String else {
                throw DialogueError.llmUngrounded(reason: "facts[\(n)] needs item, field and value")
            }
            guard let f = catalogue.facts(ItemID(itemRaw)), ids.contains(f.id) || seen.contains(f.id) else {
                throw DialogueError.llmUngrounded(reason: "facts[\(n)] is about \(itemRaw), which was not cited")
            }
            let v = TextNormalizer.fold(value)
            let ok: Bool
            switch field {
            case "title": ok = TextNormalizer.fold(f.title) == v
            case "date": ok = f.dateText.map { TextNormalizer.fold($0) == v } ?? false
            case "maker": ok = f.makers.contains { TextNormalizer.fold($0.label) == v }
            case "medium": ok = f.medium.map { TextNormalizer.fold($0) == v } ?? false
            case "movement": ok = f.movements.contains { TextNormalizer.fold($0.label) == v }
            case "subject": ok = f.subjects.contains { TextNormalizer.fold($0.label) == v }
            default:
                throw DialogueError.llmUngrounded(reason: "facts[\(n)].field '\(field)' is not a stored field")
            }
            if !ok { throw DialogueError.llmUngrounded(reason: "facts[\(n)]: \(field) of \(itemRaw) is not '\(value)'") }
        }
        return Answer(text: text, items: ids)
    }
}
