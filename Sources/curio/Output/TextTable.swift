/// A plain-text table with aligned columns, for human output.
///
/// Columns marked flexible shrink (with `…`) so the table fits the terminal; numbers align right.
struct TextTable {
    struct Column {
        var title: String
        var alignRight = false
        /// Whether the column gives up width when the table is too wide (titles, names).
        var flexible = false
        /// Never wider than this many characters.
        var maxWidth = 60
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func append(_ row: [String]) { rows.append(row) }

    /// Renders the table to fit in `width` columns.
    func render(width: Int) -> String {
        guard !columns.isEmpty else { return "" }
        var widths = columns.enumerated().map { index, column in
            min(column.maxWidth, rows.reduce(column.title.count) { max($0, $1.indices.contains(index) ? $1[index].count : 0) })
        }
        let gap = 2
        var total = widths.reduce(0, +) + gap * (columns.count - 1)
        // Shrink flexible columns one character at a time, always the widest, down to 12 characters,
        // so the space is shared fairly between titles, names and media.
        while total > width {
            guard let index = widths.indices.filter({ columns[$0].flexible && widths[$0] > 12 })
                .max(by: { widths[$0] < widths[$1] }) else { break }
            widths[index] -= 1
            total -= 1
        }
        var lines: [String] = []
        lines.append(line(columns.map(\.title), widths))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in rows { lines.append(line(row, widths)) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func line(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (index, width) in widths.enumerated() {
            let text = Self.truncate(cells.indices.contains(index) ? cells[index] : "", to: width)
            let pad = String(repeating: " ", count: max(0, width - text.count))
            let isLast = index == widths.count - 1
            parts.append(columns[index].alignRight ? pad + text : (isLast ? text : text + pad))
        }
        return parts.joined(separator: "  ")
    }

    /// Shortens text to `width` characters, ending with `…`, preferring to cut at a word boundary.
    static func truncate(_ text: String, to width: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > width else { return flat }
        guard width > 1 else { return String(flat.prefix(width)) }
        var cut = String(flat.prefix(width - 1))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > width * 2 / 3 {
            cut = String(cut[..<space])
        }
        while cut.last == " " || cut.last == "," || cut.last == ";" { cut.removeLast() }
        return cut + "…"
    }
}
