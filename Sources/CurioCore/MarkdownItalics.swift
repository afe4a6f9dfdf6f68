/// Titles in explanations and the guide's replies are set in Markdown italics (`*The Shipwreck*`). Catalogue titles
/// may contain an asterisk themselves (Tate has *Lecture Diagram 40\*: Perspective Method for a Circle*), so the
/// asterisk is escaped inside the span, and readers of replies (the grounding checks) undo the escape.
public enum MarkdownItalics {
    /// `title` with its own asterisks escaped, to place inside an italic span.
    public static func escaped(_ title: String) -> String {
        // A byte test first: most titles have no asterisk, and `String.contains(_:)` goes through a Foundation search.
        title.utf8.contains(UInt8(ascii: "*")) ? title.replacingOccurrences(of: "*", with: "\\*") : title
    }

    /// `title` in italics, with its own asterisks escaped.
    public static func italic(_ title: String) -> String {
        "*" + escaped(title) + "*"
    }

    /// The contents of every italic span in `text`, unescaped, in order.
    public static func spans(in text: some StringProtocol) -> [String] {
        var out: [String] = []
        var current: String?
        var escaped = false
        for c in text {
            if escaped {
                if current != nil { current!.append(c) }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "*" {
                if let span = current {
                    out.append(span)
                    current = nil
                } else {
                    current = ""
                }
            } else if current != nil {
                current!.append(c)
            }
        }
        return out
    }
}
