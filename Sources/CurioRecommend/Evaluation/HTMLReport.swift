import Foundation

/// Renders an ``EvaluationReport`` as one self-contained HTML page (inline CSS and SVG, no scripts, no network)
/// that a curator can open in any browser.
public enum HTMLReport {
    /// The page.
    public static func render(_ report: EvaluationReport, title: String = "Curio — recommendation evaluation") -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
        h1{font-weight:600}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
        table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{padding:.3rem .6rem;border-bottom:1px solid #eee;text-align:right}
        th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}.best{font-weight:700;color:#0a5}
        .charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{border:1px solid #eee;padding:.5rem;border-radius:6px}
        .note{color:#555;font-size:.9rem;max-width:70ch}.sig{color:#0a5}.nsig{color:#999}
        </style></head><body>
        <h1>\(escape(title))</h1>
        <p class="note">Split: <b>\(escape(report.split))</b>\(report.cutoff.map { " (cut-off \(escape(iso($0))))" } ?? "") ·
        \(report.catalogueItems) catalogue items · \(report.trainVisitors) training visitors with \(report.trainInteractions) interactions ·
        \(report.testVisitors) test visitors (\(report.coldVisitors) cold, ≤ 3 interactions) · \(report.coldItems) items never seen in training.
        Every item in the catalogue is ranked for every visitor (no sampling); objects the visitor already engaged with are left out.</p>
        <p class="note"><b>How to read this.</b> <i>Recall@k</i>: share of the objects a visitor went on to engage with that appear in
        their top k. <i>NDCG@k</i>: like recall but rewards finding them near the top. <i>MRR</i>: 1 / position of the first hit.
        <i>Coverage</i>: share of the collection recommended to anyone. <i>Novelty</i>: how unfamiliar the recommended objects are
        (bits; higher = less mainstream). <i>ILD</i>: how varied each list is. <i>Exposure Gini</i>: 0 when every object gets equal
        exposure, 1 when a few objects get it all.</p>
        <p class="note">Generated \(escape(iso(report.generatedAt))).</p>

        """
        let models = report.models
        let headline = ["ndcg@10", "recall@20", "mrr", "coverage@10", "exposure_gini", "novelty@10", "ild@10"]
            .filter { key in models.contains { $0.metrics[key] != nil } }
        html += "<h2>Headline figures</h2><div class=\"charts\">"
        for key in headline {
            html += "<div class=\"chart\">" + barChart(title: key, values: models.map { ($0.name, $0.metrics[key] ?? 0) }) + "</div>"
        }
        html += "</div>"
        if report.cutoffs.count > 1 {
            html += "<h2>Recall and NDCG by list length</h2><div class=\"charts\">"
            for metric in ["recall", "ndcg"] {
                let series = models.map { m in (m.name, report.cutoffs.map { Double($0) }, report.cutoffs.map { m.metrics["\(metric)@\($0)"] ?? 0 }) }
                html += "<div class=\"chart\">" + lineChart(title: "\(metric)@k", series: series) + "</div>"
            }
            html += "</div>"
        }
        let allKeys = Set(models.flatMap { $0.metrics.keys }).sorted(by: metricOrder)
        html += "<h2>All metrics</h2>" + table(rows: models, keys: allKeys) { $0.metrics }
        let coldKeys = Set(models.flatMap { $0.coldUsers.keys }).filter { $0 != "users" && !$0.hasPrefix("precision") }.sorted(by: metricOrder)
        html += "<h2>Cold visitors (≤ 3 interactions: \(Int(models.first?.coldUsers["users"] ?? 0)))</h2>"
        html += table(rows: models, keys: coldKeys) { $0.coldUsers }
        let coldItemKeys = Set(models.flatMap { $0.coldItems.keys }).filter { $0 != "targets" }.sorted(by: metricOrder)
        html += "<h2>Cold items (held-out objects nobody engaged with in training: \(Int(models.first?.coldItems["targets"] ?? 0)) pairs)</h2>"
        html += table(rows: models, keys: coldItemKeys) { $0.coldItems }
        if models.contains(where: { $0.trainingSeconds != nil }) {
            html += "<h2>Training time</h2>" + barChart(title: "seconds", values: models.map { ($0.name, $0.trainingSeconds ?? 0) }, higherIsBetter: false)
        }
        if !report.comparisons.isEmpty {
            html += "<h2>Paired significance tests</h2><p class=\"note\">Per-visitor differences; p below 0.05 marked green.</p>"
            html += "<table><tr><th>model</th><th>baseline</th><th>metric</th><th>model</th><th>baseline</th><th>difference</th><th>t-test p</th><th>Wilcoxon p</th><th>visitors</th></tr>"
            for c in report.comparisons {
                let rel = c.relativeDifference.map { String(format: " (%+.1f%%)", $0 * 100) } ?? ""
                html += "<tr><td>\(escape(c.model))</td><td>\(escape(c.baseline))</td><td>\(escape(c.metric))</td>"
                html += "<td>\(format(c.modelMean))</td><td>\(format(c.baselineMean))</td><td>\(String(format: "%+.4f", c.meanDifference))\(rel)</td>"
                html += "<td class=\"\(c.tTestP < 0.05 ? "sig" : "nsig")\">\(pFormat(c.tTestP))</td>"
                html += "<td class=\"\(c.wilcoxonP < 0.05 ? "sig" : "nsig")\">\(pFormat(c.wilcoxonP))</td><td>\(c.users)</td></tr>"
            }
            html += "</table>"
        }
        html += "</body></html>\n"
        return html
    }

    /// Writes the page to a file.
    public static func write(_ report: EvaluationReport, to url: URL) throws(RecommendError) {
        do {
            try Data(render(report).utf8).write(to: url, options: .atomic)
        } catch {
            throw .io(path: url.path, reason: "cannot write the HTML report: \(error.localizedDescription)")
        }
    }

    // MARK: Pieces

    static let palette = ["#1b7bb8", "#e4572e", "#29a36a", "#8e5cc4", "#d4a017", "#3a3a3a", "#c2185b", "#00838f"]

    static func barChart(title: String, values: [(String, Double)], higherIsBetter: Bool = true) -> String {
        let width = 340.0, barHeight = 18.0, gap = 6.0, labelWidth = 110.0
        let height = 28 + Double(values.count) * (barHeight + gap)
        let top = max(values.map(\.1).max() ?? 0, 1e-12)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"600\">\(escape(title))</text>"
        for (i, (name, value)) in values.enumerated() {
            let y = 24 + Double(i) * (barHeight + gap)
            let w = max(0, (width - labelWidth - 60) * value / top)
            svg += "<text x=\"0\" y=\"\(y + 13)\" font-size=\"12\">\(escape(String(name.prefix(16))))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(String(format: "%.1f", w))\" height=\"\(barHeight)\" fill=\"\(palette[i % palette.count])\"/>"
            svg += "<text x=\"\(String(format: "%.1f", labelWidth + w + 4))\" y=\"\(y + 13)\" font-size=\"11\">\(format(value))</text>"
        }
        return svg + "</svg>"
    }

    static func lineChart(title: String, series: [(String, [Double], [Double])]) -> String {
        let width = 420.0, height = 260.0, left = 46.0, bottom = 30.0, top = 24.0, right = 110.0
        let xs = series.flatMap(\.1), ys = series.flatMap(\.2)
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1)
        let yMax = max(ys.max() ?? 0, 1e-12)
        func px(_ x: Double) -> Double { left + (width - left - right) * (x - xMin) / (xMax - xMin) }
        func py(_ y: Double) -> Double { height - bottom - (height - bottom - top) * y / yMax }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"600\">\(escape(title))</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
        for x in Set(xs).sorted() {
            svg += "<text x=\"\(px(x) - 6)\" y=\"\(height - bottom + 16)\" font-size=\"11\">\(Int(x))</text>"
        }
        for t in 0...4 {
            let y = yMax * Double(t) / 4
            svg += "<text x=\"2\" y=\"\(py(y) + 4)\" font-size=\"10\">\(format(y))</text>"
            svg += "<line x1=\"\(left)\" y1=\"\(py(y))\" x2=\"\(width - right)\" y2=\"\(py(y))\" stroke=\"#eee\"/>"
        }
        for (i, (name, x, y)) in series.enumerated() {
            let color = palette[i % palette.count]
            let points = zip(x, y).map { String(format: "%.1f,%.1f", px($0), py($1)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points)\"/>"
            for (a, b) in zip(x, y) { svg += "<circle cx=\"\(px(a))\" cy=\"\(py(b))\" r=\"3\" fill=\"\(color)\"/>" }
            svg += "<text x=\"\(width - right + 8)\" y=\"\(top + 14 + Double(i) * 16)\" font-size=\"11\" fill=\"\(color)\">\(escape(String(name.prefix(16))))</text>"
        }
        return svg + "</svg>"
    }

    static func table(rows: [ModelResult], keys: [String], values: (ModelResult) -> [String: Double]) -> String {
        guard !keys.isEmpty else { return "<p class=\"note\">No figures.</p>" }
        var html = "<table><tr><th>model</th>" + keys.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        var best: [String: Double] = [:]
        for key in keys {
            let column = rows.compactMap { values($0)[key] }
            best[key] = key.hasPrefix("exposure_gini") ? column.min() : column.max()
        }
        for row in rows {
            html += "<tr><td>\(escape(row.name))</td>"
            for key in keys {
                if let v = values(row)[key] {
                    html += "<td\(v == best[key] && rows.count > 1 ? " class=\"best\"" : "")>\(format(v))</td>"
                } else {
                    html += "<td>–</td>"
                }
            }
            html += "</tr>"
        }
        return html + "</table>"
    }

    static func metricOrder(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> (String, Int) {
            let parts = s.split(separator: "@")
            return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
        }
        return key(a) < key(b)
    }

    static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        if abs(v) >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.4f", v)
    }

    static func pFormat(_ p: Double) -> String { p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p) }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
