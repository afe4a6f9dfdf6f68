import CurioCore
import Foundation
import Testing
@testable import CurioIngest
@testable import CurioStore

@Suite("Durability: ingests killed at random moments")
struct CrashTests {
    /// The helper executable built next to the test bundle.
    private func helper() throws -> URL {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(TateData.repository.appendingPathComponent(".build/debug"))
        for folder in candidates {
            for dir in [folder, folder.deletingLastPathComponent()] {
                let url = dir.appendingPathComponent("curio-ingest-helper")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        Issue.record("curio-ingest-helper was not built (run `swift build --build-tests`); looked in \(candidates.map(\.path))")
        throw CocoaError(.fileNoSuchFile)
    }

    /// A small deterministic generator, so a failing run can be repeated.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func killedIngestsNeverCorruptTheStoreOrHalfWriteAFile() throws {
        let helper = try helper()
        let w = try Workspace()
        // Six input files of 60 artworks, in two versions (the second retitles every artwork), ingested
        // alternately so that every run rewrites every record.
        let fileCount = 6
        let perFile = 60
        let records = try TateData.sampleArtworks(fileCount * perFile)
        var titles: [String: [String: String]] = [:] // path → acno → title
        var inputs: [[URL]] = [[], []]
        for version in 0..<2 {
            for k in 0..<fileCount {
                var slice = Array(records[(k * perFile)..<((k + 1) * perFile)])
                if version == 1 {
                    for i in slice.indices { slice[i]["title"] = "Revised \(slice[i]["acno"] as! String)" }
                }
                let url = try w.write("v\(version)/artworks-\(k).jsonl", objects: slice)
                inputs[version].append(url)
                titles[url.path] = Dictionary(uniqueKeysWithValues: slice.map {
                    ($0["acno"] as! String, ($0["title"] as! String).trimmingCharacters(in: .whitespaces))
                })
            }
        }
        let db = w.folder.appendingPathComponent("crash.db").path

        func run(_ urls: [URL], killAfter delay: Double?) throws -> (seconds: Double, killed: Bool) {
            let process = Process()
            process.executableURL = helper
            process.arguments = [db] + urls.map(\.path) + ["--chunk", "15"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let started = Date()
            try process.run()
            var killed = false
            if let delay {
                let deadline = started.addingTimeInterval(delay)
                while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    killed = true
                }
            }
            process.waitUntilExit()
            if !killed { #expect(process.terminationStatus == 0, "helper failed with status \(process.terminationStatus)") }
            return (Date().timeIntervalSince(started), killed)
        }

        func check(after round: Int) throws {
            let store = try SQLiteStore(path: db)
            #expect(try store.integrityCheck() == ["ok"], "round \(round)")
            let ftsOK: Bool = try store.pool.withWriter { db in
                do {
                    try db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
                    return true
                } catch {
                    return false
                }
            }
            #expect(ftsOK, "round \(round): the search index disagrees with the items")
            let committed = try store.ingestedFiles()
            let byPath = Dictionary(uniqueKeysWithValues: committed.map { ($0.path, $0) })
            var expected: [String: String] = [:]
            for k in 0..<fileCount {
                // The latest committed version of file k decides the titles of its artworks.
                let versions = (0..<2).compactMap { v in byPath[inputs[v][k].path].map { (v, $0) } }
                guard let (version, row) = versions.max(by: { $0.1.ingestedAt < $1.1.ingestedAt }) else { continue }
                let url = inputs[version][k]
                #expect(row.sha256 == (try SHA256.hash(fileAt: url.path).hex))
                for (acno, title) in titles[url.path] ?? [:] { expected[acno] = title }
            }
            let stored = try store.allItemIDs()
            #expect(stored.count == expected.count, "round \(round): \(stored.count) items stored, \(expected.count) in committed files")
            for (acno, title) in expected {
                let item = try store.item(ItemID(acno))
                #expect(item?.title == title, "round \(round): \(acno) is \(item?.title ?? "missing"), expected \(title)")
            }
        }

        var rng = SplitMix(state: 20_251_124)
        // A first full run measures how long an ingest takes, so kills can land anywhere in it.
        let full = try run(inputs[0], killAfter: nil).seconds
        try check(after: 0)
        var kills = 0
        var rounds = 0
        var midway = 0
        while kills < 20 && rounds < 60 {
            rounds += 1
            let delay = Double.random(in: 0.0...(full * 1.1), using: &rng)
            let started = Date()
            if try run(inputs[rounds % 2], killAfter: delay).killed {
                kills += 1
                // Count the kills that landed between the first and the last file of the run.
                let fresh = try SQLiteStore(path: db).ingestedFiles().filter { $0.ingestedAt >= started }.count
                if fresh > 0 && fresh < fileCount { midway += 1 }
            }
            try check(after: rounds)
        }
        #expect(kills >= 20)
        #expect(midway >= 3, "only \(midway) of \(kills) kills landed in the middle of an ingest")
        // Whatever state the kills left, a complete run finishes the job.
        _ = try run(inputs[1], killAfter: nil)
        try check(after: rounds + 1)
        let final = try SQLiteStore(path: db)
        #expect(try final.stats().items == fileCount * perFile)
        #expect(try final.item(ItemID(records[0]["acno"] as! String))?.title.hasPrefix("Revised") == true)
    }
}
