import Foundation

/// Shows how far a long job is: a redrawn bar with rate and ETA on a terminal, plain periodic
/// lines otherwise (logs, CI). Always on stderr. Thread-safe.
///
/// ```
/// ingest  [##########..........]  52%  35,120/69,202 records  4,210/s  ETA 0:08
/// ingest: 35,120/69,202 records (52%), 4,210/s, ETA 0:08
/// ```
final class ProgressBar: @unchecked Sendable {
    private let console: Console
    private let label: String
    private let unit: String
    private let enabled: Bool
    private let start = Date()
    private let lock = NSLock()
    private var total: Int?
    private var completed = 0
    /// Fraction done when measured by something else than `completed` (bytes read while counting records).
    private var fraction: Double?
    private var lastDraw = Date.distantPast
    private var lastLine = Date()
    private var finished = false

    /// How often a non-terminal progress line is written.
    static let lineInterval: TimeInterval = 5
    /// How often the terminal bar is redrawn at most.
    static let redrawInterval: TimeInterval = 0.1

    /// - Parameters:
    ///   - enabled: false silences the bar entirely (`--quiet`).
    init(console: Console, label: String, unit: String, total: Int? = nil, enabled: Bool = true) {
        self.console = console
        self.label = label
        self.unit = unit
        self.total = total
        self.enabled = enabled
    }

    /// Reports progress; cheap to call often (drawing is throttled).
    /// - Parameters:
    ///   - completed: units done (shown with the rate).
    ///   - total: units expected, when known.
    ///   - fraction: share of the work done (0…1) when it is measured otherwise (bytes), for the bar and ETA.
    func update(completed: Int, total: Int? = nil, fraction: Double? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard enabled, !finished else { return }
        self.completed = completed
        if let total { self.total = total }
        if let fraction { self.fraction = min(1, max(0, fraction)) }
        let now = Date()
        if console.stderrIsTerminal {
            guard now.timeIntervalSince(lastDraw) >= Self.redrawInterval else { return }
            lastDraw = now
            console.setStatus(barLine(now: now))
        } else {
            guard now.timeIntervalSince(lastLine) >= Self.lineInterval else { return }
            lastLine = now
            console.err(plainLine(now: now))
        }
    }

    /// Removes the bar and, when given, prints a closing line.
    func finish(_ message: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        guard enabled else { return }
        console.setStatus(nil)
        if let message { console.err(message) }
    }

    private func rate(now: Date) -> Double {
        let elapsed = now.timeIntervalSince(start)
        return elapsed > 0.05 ? Double(completed) / elapsed : 0
    }

    /// Share done, from the explicit fraction or from completed/total.
    private var done: Double? {
        if let fraction { return fraction }
        if let total, total > 0 { return min(1, Double(completed) / Double(total)) }
        return nil
    }

    private func eta(now: Date) -> String? {
        guard let done, done > 0.001, done < 1 else { return nil }
        let elapsed = now.timeIntervalSince(start)
        return Self.duration(elapsed * (1 - done) / done)
    }

    private func barLine(now: Date) -> String {
        var parts = [label]
        if let done {
            let cells = 24
            let filled = Int((done * Double(cells)).rounded(.down))
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "]")
            parts.append(String(format: "%3d%%", Int(done * 100)))
        }
        if let total, total > 0 {
            parts.append("\(Self.grouped(completed))/\(Self.grouped(total)) \(unit)")
        } else {
            parts.append("\(Self.grouped(completed)) \(unit)")
        }
        parts.append("\(Self.grouped(Int(rate(now: now))))/s")
        if let eta = eta(now: now) { parts.append("ETA \(eta)") }
        return parts.joined(separator: "  ")
    }

    private func plainLine(now: Date) -> String {
        var text = "\(label): \(Self.grouped(completed))"
        if let total, total > 0 { text += "/\(Self.grouped(total))" }
        text += " \(unit)"
        if let done { text += " (\(Int(done * 100))%)" }
        text += ", \(Self.grouped(Int(rate(now: now))))/s"
        if let eta = eta(now: now) { text += ", ETA \(eta)" }
        return text
    }

    /// `4:05`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    /// `69202` → `69,202`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}
