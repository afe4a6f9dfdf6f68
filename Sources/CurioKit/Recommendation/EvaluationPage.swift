import CurioGraph
import CurioRecommend
import Foundation

/// The HTML page of `curio evaluate --report`: CurioRecommend's report (accuracy, coverage, exposure, cold visitors
/// and items, significance) followed by explanation fidelity and the curator policy's effect, with SVG bar charts.
/// One self-contained file: inline CSS and SVG, no script, no network.
public enum EvaluationPage {
    /// The page.
    public static func render(_ evaluation: CurioEvaluation) -> String {
        var html = HTMLReport.render(evaluation.report)
        var extra = ""
        if !evaluation.fidelity.isEmpty {
            extra += """
            <h2>Explanation fidelity</h2>
            <p class="note">For each of the first visitors' top-10 recommendations, the strongest cited evidence is removed
            (the cited object leaves the visitor's history; for the graph model the cited links are cut in the graph) and
            the model's score is recomputed. <i>Fidelity</i> is the share of recommendations whose score dropped.</p>
            <table><tr><th>model</th><th>recommendations</th><th>explained</th><th>fidelity</th><th>mean relative drop</th><th>top evidence share</th></tr>
            """
            for (name, f) in evaluation.fidelity.sorted(by: { $0.key < $1.key }) {
                extra += "<tr><td>\(HTMLReport.escape(name))</td><td>\(f.recommendations)</td><td>\(f.explained)</td>"
                extra += "<td>\(percent(f.fidelity))</td><td>\(percent(f.meanRelativeDrop))</td><td>\(percent(f.meanTopEvidenceShare))</td></tr>"
            }
            extra += "</table>"
        }
        for p in evaluation.policy {
            extra += """
            <h2>Policy “\(HTMLReport.escape(p.policy))” on \(HTMLReport.escape(p.model))</h2>
            <p class="note">Lists of \(p.k) re-ranked for every test visitor in turn, with exposure tracked over the whole stream
            (slot r counts 1/log₂(r+1)). <i>model</i>: the model's own order; <i>policy</i>: the whole policy;
            <i>only:…</i>: one re-ranker alone, so each one's accuracy cost shows.</p>
            <table><tr><th>variant</th><th>ndcg@10</th><th>change</th><th>recall@10</th><th>coverage@10</th><th>exposure Gini</th>
            <th>dominant maker</th><th>popularity lift</th><th>calibration KL</th><th>ILD</th><th>exposure shares (target)</th></tr>
            """
            for v in p.variants {
                let shares = v.exposureShares.sorted { $0.key < $1.key }.map { group, share in
                    "\(HTMLReport.escape(group)) \(percent(share))" + (v.exposureTargets[group].map { " (≥ \(percent($0)))" } ?? "")
                }.joined(separator: ", ")
                extra += "<tr><td>\(HTMLReport.escape(v.name))</td><td>\(fmt(v.metrics["ndcg@10"]))</td>"
                extra += "<td>\(String(format: "%+.1f%%", v.ndcgChange * 100))</td><td>\(fmt(v.metrics["recall@10"]))</td>"
                extra += "<td>\(fmt(v.metrics["coverage@10"]))</td><td>\(fmt(v.metrics["exposure_gini@10"]))</td>"
                extra += "<td>\(HTMLReport.escape(v.dominantMaker)) \(percent(v.dominantMakerShare))</td>"
                extra += "<td>\(String(format: "%+.2f", v.popularityLift))</td><td>\(fmt(v.calibrationKL))</td>"
                extra += "<td>\(fmt(v.intraListDiversity))</td><td>\(shares)</td></tr>"
            }
            extra += "</table><div class=\"charts\">"
            extra += "<div class=\"chart\">" + bars(title: "ndcg@10", p.variants.map { ($0.name, $0.metrics["ndcg@10"] ?? 0) }) + "</div>"
            extra += "<div class=\"chart\">" + bars(title: "dominant maker share", p.variants.map { ($0.name, $0.dominantMakerShare) }) + "</div>"
            for group in Set(p.variants.flatMap { $0.exposureTargets.keys }).sorted() {
                extra += "<div class=\"chart\">" + bars(title: "exposure share: \(group)", p.variants.map { ($0.name, $0.exposureShares[group] ?? 0) },
                                                      target: p.variants.first?.exposureTargets[group]) + "</div>"
            }
            extra += "</div>"
        }
        if let end = html.range(of: "</body>", options: .backwards) { html.insert(contentsOf: extra, at: end.lowerBound) }
        return html
    }

    /// Writes the page.
    /// - Throws: ``CurioRecommend/RecommendError/io(path:reason:)``.
    public static func write(_ evaluation: CurioEvaluation, to url: URL) throws {
        do {
            try Data(render(evaluation).utf8).write(to: url, options: .atomic)
        } catch {
            throw RecommendError.io(path: url.path, reason: "cannot write the HTML report: \(error.localizedDescription)")
        }
    }

    static func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
    static func fmt(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "–" }

    /// A horizontal bar chart; an optional target draws a dashed line.
    static func bars(title: String, _ values: [(String, Double)], target: Double? = nil) -> String {
        let row = 22.0, label = 150.0, width = 420.0, top = 24.0
        let height = top + row * Double(values.count) + 8
        let maxValue = max(values.map(\.1).max() ?? 0, target ?? 0, 1e-9)
        func x(_ v: Double) -> Double { label + (width - label - 50) * v / maxValue }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
        svg += "<text x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"600\">\(HTMLReport.escape(title))</text>"
        for (i, (name, v)) in values.enumerated() {
            let y = top + row * Double(i)
            svg += "<text x=\"4\" y=\"\(y + 14)\" font-size=\"11\">\(HTMLReport.escape(name))</text>"
            svg += "<rect x=\"\(label)\" y=\"\(y + 3)\" width=\"\(max(0, x(v) - label))\" height=\"\(row - 7)\" fill=\"\(i == 0 ? "#999" : "#3a7")\"/>"
            svg += "<text x=\"\(x(v) + 4)\" y=\"\(y + 14)\" font-size=\"11\">\(String(format: "%.3f", v))</text>"
        }
        if let target {
            svg += "<line x1=\"\(x(target))\" x2=\"\(x(target))\" y1=\"\(top)\" y2=\"\(height - 4)\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/>"
        }
        return svg + "</svg>"
    }
}
