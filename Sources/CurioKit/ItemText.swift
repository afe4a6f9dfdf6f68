import CurioCore
import Foundation

/// The canonical text of an item — what the text encoder reads — and its content hash.
///
/// Recipe (version 1), fields in this order, each ending with a full stop, empty fields left out:
/// 1. the title;
/// 2. the makers, `Name` for artists and `Name (role)` for other roles, joined with `, `;
/// 3. the date as catalogued (`c.1845`, `1762–1787`);
/// 4. the medium (`Oil paint on canvas`);
/// 5. `Subjects: ` and the subject labels (the catalogue's most specific terms, e.g. `sea, storm, shipwreck`);
/// 6. `Movements: ` and the movement labels;
/// 7. the description.
///
/// The encoder reads at most 256 tokens, so the description — the longest and least regular field — comes last.
/// The content hash is SHA-256 of the recipe version and the text: an item is re-embedded exactly when its text
/// (or the recipe) changes.
public enum ItemText {
    /// Bumped whenever the recipe changes, so that every stored embedding is recomputed.
    public static let recipeVersion = 1

    /// The canonical text of `item`; `label` resolves concept ids to display labels (unknown ids are skipped).
    public static func text(for item: Item, label: (ConceptID) -> String?) -> String {
        var parts: [String] = []
        func add(_ value: String?) {
            guard let value else { return }
            var clean = value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            while let last = clean.last, last == "." || last == " " { clean.removeLast() }
            if !clean.isEmpty { parts.append(clean) }
        }
        add(item.title)
        add(item.makers.map { $0.role.isEmpty || $0.role == "artist" ? $0.name : "\($0.name) (\($0.role))" }
            .joined(separator: ", "))
        add(item.date?.text)
        add(item.medium)
        let subjects = unique(item.subjects.compactMap(label))
        if !subjects.isEmpty { add("Subjects: " + subjects.joined(separator: ", ")) }
        let movements = unique(item.movements.compactMap(label))
        if !movements.isEmpty { add("Movements: " + movements.joined(separator: ", ")) }
        add(item.description)
        return parts.map { $0 + "." }.joined(separator: " ")
    }

    /// SHA-256 (hex) of the recipe version and `text`.
    public static func contentHash(of text: String) -> String {
        SHA256.hash("curio-item-text-v\(recipeVersion)\n" + text).hex
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
