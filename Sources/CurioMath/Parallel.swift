import Dispatch
import Foundation

/// Deterministic data-parallel loops over index ranges.
public enum Parallel {
    /// Number of worker chunks used by default: the active processor count.
    public static var processorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `body(range)` over `0..<count` split into contiguous chunks on all cores and waits for all of them.
    ///
    /// The split depends only on `count` and `chunks`, so loops that write only to per-index outputs are
    /// deterministic whatever the scheduling. `body` runs concurrently: it must only write to data no other chunk
    /// touches (per-index outputs, per-chunk scratch).
    /// - Parameter chunks: number of chunks; 0 chooses four per processor for load balance.
    public static func forEachChunk(count: Int, chunks: Int = 0, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let n = max(1, min(count, chunks > 0 ? chunks : processorCount * 4))
        if n == 1 {
            body(0..<count)
            return
        }
        let size = (count + n - 1) / n
        withoutActuallyEscaping(body) { body in
            // The caller guarantees that chunks touch disjoint data.
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: n) { c in
                let start = c * size
                let end = min(count, start + size)
                if start < end { work(start..<end) }
            }
        }
    }

    /// Runs `body(chunkIndex, range)`, giving each chunk its index so that it can use its own scratch space.
    public static func forEachChunkIndexed(count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let n = max(1, min(count, chunks))
        let size = (count + n - 1) / n
        if n == 1 {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: n) { c in
                let start = c * size
                let end = min(count, start + size)
                if start < end { work(c, start..<end) }
            }
        }
    }
}

extension BLAS {
    /// Runs `body` with OpenBLAS limited to `count` threads, restoring the previous count afterwards.
    ///
    /// Use it around loops that parallelise above BLAS: OpenBLAS's own worker threads otherwise spin while Curio's
    /// workers compute, and on a two-core machine they steal most of the time.
    public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let previous = threadCount
        setThreadCount(count)
        defer { setThreadCount(previous) }
        return try body()
    }
}
