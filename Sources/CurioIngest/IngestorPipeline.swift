import Foundation

/// A bounded hand-off of work from the thread that parses input to the thread that writes it.
///
/// Parsing (inflate, JSON, mapping) and writing (encoding, hashing, SQLite) each take about half of an ingest,
/// so on two cores running them side by side nearly halves the wall time. At most `capacity` messages wait;
/// a fast parser blocks rather than filling memory.
final class IngestPipeline<Message: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Message] = []
    private var head = 0
    private var closed = false
    private var consumerDone = false
    private var stopped = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues `message`, waiting while the queue is full.
    /// - Returns: false when the consumer has stopped (the message was dropped).
    @discardableResult
    func send(_ message: Message) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity && !stopped { condition.wait() }
        if stopped { return false }
        queue.append(message)
        condition.broadcast()
        return true
    }

    /// No more messages will be sent.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next message, waiting for one; nil once the pipeline is closed and drained, or stopped.
    func receive() -> Message? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !closed && !stopped { condition.wait() }
        if stopped || head == queue.count { return nil }
        let message = queue[head]
        head += 1
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return message
    }

    /// Called by the consumer when it gives up (a fatal error): senders stop waiting.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the consumer when it has returned.
    func markConsumerDone() {
        condition.lock()
        consumerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the consumer has returned.
    func waitForConsumer() {
        condition.lock()
        while !consumerDone { condition.wait() }
        condition.unlock()
    }
}
