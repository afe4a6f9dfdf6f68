import Foundation

/// Small helpers shared by the benchmarks: option parsing, clocks, statistics, JSON output, memory use.
enum BenchSupport {
    /// Thrown for bad command-line options.
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    /// `--name value` options and bare `--flag`s from an argument list.
    struct Options {
        private var values: [String: String] = [:]
        private var flags: Set<String> = []

        init(_ arguments: [String]) throws {
            var i = 0
            while i < arguments.count {
                let a = arguments[i]
                guard a.hasPrefix("--") else { throw UsageError(description: "unexpected argument '\(a)'") }
                let key = String(a.dropFirst(2))
                if i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") {
                    values[key] = arguments[i + 1]
                    i += 2
                } else {
                    flags.insert(key)
                    i += 1
                }
            }
        }

        func string(_ key: String) -> String? { values[key] }
        func int(_ key: String, default value: Int) throws -> Int {
            guard let s = values[key] else { return value }
            guard let n = Int(s) else { throw UsageError(description: "--\(key) needs an integer, got '\(s)'") }
            return n
        }
        func flag(_ key: String) -> Bool { flags.contains(key) }
    }

    /// Monotonic seconds.
    static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }

    /// The `q`-quantile (0…1) of `values` (nearest rank).
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    /// Peak resident set size of this process in MiB (Linux `VmHWM`), or nil where unavailable.
    static func peakRSSMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first
            return kb.map { $0 / 1024 }
        }
        return nil
    }

    /// Prints one JSON object on stdout.
    static func emit(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Writes progress to stderr.
    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
