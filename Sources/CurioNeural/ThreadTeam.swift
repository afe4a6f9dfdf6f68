import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed group of threads that run one job together — every part at the same time — and synchronise inside it
/// with a spinning barrier.
///
/// Made for the encoder's lone short query, which is a chain of ~40 small steps per forward pass: handing each step
/// to a Dispatch worker costs tens of microseconds of wake-up per step, while a spinning barrier between parts that
/// are already running costs well under one. The helper threads are dedicated (not Dispatch workers), so a barrier
/// can never wait for a part that is queued behind it, and they inherit the scheduling priority (nice value) of the
/// thread that first used the model, as the caller's own threads would. One job at a time: ``run(parts:_:)`` returns false at once
/// when another caller holds the team, and that caller falls back to its single-threaded path.
final class ThreadTeam: @unchecked Sendable {
    /// Number of threads, the caller's included.
    let size: Int

    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let starts: [DispatchSemaphore]
    private let finished = DispatchSemaphore(value: 0)
    private let busy = NSLock()
    /// The current job and part count; written before the helpers are signalled, read after (the semaphores order it).
    nonisolated(unsafe) private var job: ((Int) -> Void)?
    nonisolated(unsafe) private var parts = 0

    /// Starts `size − 1` helper threads (parked until a job arrives).
    init(size: Int) {
        self.size = max(1, size)
        starts = (1..<self.size).map { _ in DispatchSemaphore(value: 0) }
        for part in 1..<self.size {
            let thread = Thread { [self] in helperLoop(part: part) }
            thread.name = "curio-encoder-\(part)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Stops the helper threads (they hold the team until then).
    func shutdown() {
        stopping.store(true, ordering: .releasing)
        for s in starts { s.signal() }
    }

    private func helperLoop(part: Int) {
        while true {
            starts[part - 1].wait()
            if stopping.load(ordering: .acquiring) { return }
            if part < parts, let job { job(part) }
            finished.signal()
        }
    }

    /// Runs `body(part)` for `part` in `0..<parts` at once, part 0 on the calling thread; returns when all are done.
    /// Returns false without running anything when the team is busy with another job.
    func run(parts requested: Int, _ body: (Int) -> Void) -> Bool {
        let n = min(max(1, requested), size)
        guard busy.try() else { return false }
        defer { busy.unlock() }
        withoutActuallyEscaping(body) { body in
            job = body
            parts = n
            for s in starts { s.signal() }
            body(0)
            for _ in starts { finished.wait() }
            job = nil
        }
        return true
    }

    /// Waits until all `parts` of the current job have reached this call (memory written before it by any part is
    /// visible to every part after it). Spins, yielding the processor after a while so that an oversubscribed
    /// machine still makes progress.
    func barrier() {
        let n = parts
        guard n > 1 else { return }
        let current = generation.load(ordering: .acquiring)
        if arrived.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == n {
            arrived.store(0, ordering: .relaxed)
            generation.wrappingAdd(1, ordering: .releasing)
            return
        }
        var spins = 0
        while generation.load(ordering: .acquiring) == current {
            spins += 1
            if spins > 4000 { sched_yield() }
        }
    }
}
