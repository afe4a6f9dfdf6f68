import CurioJSON
import Foundation

/// One JSON object of a Linked Art document, with lenient accessors: a property may hold one object or an array
/// of objects, `@id`/`@type` are read like `id`/`type`, and `content` like the older `value`.
struct LinkedArtNode {
    let object: [String: JSONValue]
    /// Where the node sits in its document, for problems (`produced_by.part[1].carried_out_by[0]`).
    let path: String

    init(_ object: [String: JSONValue], path: String) {
        self.object = object
        self.path = path
    }

    private func text(_ key: String) -> String? {
        guard let s = object[key]?.string else { return nil }
        let t = s.importTrimmed
        return t.isEmpty ? nil : t
    }

    var type: String? { text("type") ?? text("@type") }
    var id: String? { text("id") ?? text("@id") }
    var label: String? { text("_label") ?? text("label") }
    /// The text of a Name, Identifier or LinguisticObject (`content`, or `value` in older documents).
    var content: String? {
        if let c = text("content") ?? text("value") { return c }
        if case let .number(n)? = object["content"] { return JSONValue.text(of: n) }
        return nil
    }

    /// Child nodes under `key`: a single object or the objects of an array (anything else is ignored).
    func nodes(_ key: String) -> [LinkedArtNode] {
        let base = path.isEmpty ? key : path + "." + key
        switch object[key] {
        case let .object(o)?:
            return [LinkedArtNode(o, path: base)]
        case let .array(a)?:
            return a.enumerated().compactMap { k, v in v.object.map { LinkedArtNode($0, path: "\(base)[\(k)]") } }
        default:
            return []
        }
    }

    /// The first child node under `key`.
    func node(_ key: String) -> LinkedArtNode? { nodes(key).first }

    /// Whether `key` holds something that is neither an object nor an array of objects.
    func isMalformed(_ key: String) -> Bool {
        switch object[key] {
        case nil, .null?, .object?: return false
        case let .array(a)?: return !a.allSatisfy { $0.object != nil }
        default: return true
        }
    }

    /// AAT numbers of the node's `classified_as` terms.
    var classificationNumbers: Set<String> {
        Set(nodes("classified_as").compactMap { $0.id.flatMap(LinkedArtVocabulary.aatNumber) })
    }

    /// Whether the node is classified as the AAT term `number`.
    func isClassified(as number: String) -> Bool { classificationNumbers.contains(number) }

    /// Whether the node is classified as any of the AAT terms.
    func isClassified(asAnyOf numbers: Set<String>) -> Bool { !classificationNumbers.isDisjoint(with: numbers) }

    /// BCP 47 tags of the node's `language` terms that Curio knows.
    var languageTags: [String] {
        nodes("language").compactMap { $0.id.flatMap(LinkedArtVocabulary.aatNumber).flatMap {
            LinkedArtVocabulary.languageTags[$0]
        } }
    }

    /// A display name: `_label`, else the content of a primary Name, else of any Name.
    var displayName: String? {
        if let l = label { return l }
        let names = nodes("identified_by").filter { $0.type == "Name" }
        return (names.first { $0.isClassified(as: LinkedArtVocabulary.primaryName) } ?? names.first)?.content
    }
}
