import CurioMath
import Foundation

/// The SGD engine behind ``BPRRecommender``: stratified (DSGD-style), deterministic, parallel and cache-aware.
///
/// **Schedule.** Every epoch, visitors and items are each dealt into ``blocks`` blocks by seeded random permutations
/// (fresh ones each epoch). The positive pairs fall into `blocks × blocks` strata (visitor block, item block). An
/// epoch is `blocks` rounds; in round r, stratum (b, (b + r) mod blocks) is processed for every b. The strata of a
/// round share no visitor and no item, so workers update factor rows in place with no locks and no races, and the
/// order in which they run does not matter; there is no barrier between rounds, each stratum starts once the
/// previous strata of its two blocks are done (``StratumWavefront``). Each stratum visits its pairs in an order shuffled by its own seeded
/// stream and draws each pair's negative **from the same item block** with that stream, so that every update stays
/// inside the stratum. The result therefore depends on the seed and the data only — not on the number of threads
/// nor on scheduling — and is bit for bit the same on one core or many.
///
/// **Sampling.** Each positive pair is visited once per epoch. Its negative is uniform over its item block (blocks
/// hold the items with at least one training pair: the catalogue the model can learn about),
/// rejecting items the visitor engaged with (up to 20 draws; the pair is skipped if all hit positives). Because the
/// blocks are a uniformly random partition redrawn every epoch, the negative is uniform over all items in
/// expectation, as in plain BPR; only its correlation with the positive within one epoch changes.
///
/// **Speed.** Factor rows are padded to a multiple of 16 floats in 64-byte aligned buffers (whole cache lines, no
/// scalar tail), the update is a fused SIMD pass, and the rows of the pair `prefetchDistance` steps ahead are
/// prefetched so that the memory latency of randomly placed rows overlaps the current update.
struct StratifiedBPRTrainer {
    /// Hyper-parameters of the SGD.
    struct Settings {
        var learningRate: Float
        var regularization: Float
        var epochs: Int
        var decay: Float
        var itemBias: Bool
        /// Standard deviation of the initial factors (uniform on [−√3·scale, √3·scale]).
        var initialScale: Float
        var threads: Int
    }

    /// Draws before a pair is skipped because every drawn negative was one of the visitor's positives.
    static let negativeAttempts = 20
    /// How many pairs ahead the factor rows are prefetched.
    static let prefetchDistance = 4

    /// Number of visitor blocks and of item blocks for a data set (a function of its size only, never of the
    /// thread count, so that the model does not depend on the machine): up to 8, with at least 32 visitors and 32
    /// items per block so that negatives are drawn from a reasonable number of items.
    static func blockCount(users: Int, items: Int) -> Int { max(1, min(8, users / 32, items / 32)) }

    let users: Int
    let items: Int
    let factors: Int
    /// Floats per stored row: `factors` rounded up to a multiple of 16 (the padding stays zero).
    let stride: Int
    let blocks: Int
    let matrix: SparseMatrix
    /// Items with at least one training pair, ascending. Only they are dealt into blocks and drawn as negatives:
    /// the others carry no evidence (see ``train(settings:seed:)``).
    let activeItems: [Int32]
    /// Visitor (row) of every stored entry of ``matrix``.
    let owners: [Int32]
    /// One-hash Bloom filter of the positive pairs (see ``BPRNegativeSampler``).
    let positiveFilter: PairFilter

    init(matrix: SparseMatrix, factors: Int) {
        self.matrix = matrix
        users = matrix.rows
        items = matrix.columns
        self.factors = factors
        stride = (factors + 15) & ~15
        var seen = [Bool](repeating: false, count: matrix.columns)
        for c in matrix.columnIndices { seen[Int(c)] = true }
        activeItems = (0..<Int32(matrix.columns)).filter { seen[Int($0)] }
        blocks = Self.blockCount(users: matrix.rows, items: activeItems.count)
        var owners = [Int32](repeating: 0, count: matrix.nonZeroCount)
        for u in 0..<matrix.rows { for p in matrix.range(ofRow: u) { owners[p] = Int32(u) } }
        self.owners = owners
        positiveFilter = PairFilter(matrix: matrix, owners: owners)
    }

    // MARK: The epoch plan

    /// One epoch's assignment of visitors and items to blocks, and the positive pairs grouped by stratum.
    struct EpochPlan {
        /// Active items in block order: block b is `itemOrder[itemStart[b]..<itemStart[b + 1]]`.
        var itemOrder: [Int32]
        var itemStart: [Int]
        /// Block of every item (0 for items without training pairs) and of every visitor.
        var itemBlock: [UInt8]
        var userBlock: [UInt8]
        /// The pairs `(visitor << 32) | item`, grouped by stratum `userBlock * blocks + itemBlock` (each stratum in
        /// entry order; the stratum's own stream shuffles it).
        var pairs: [UInt64]
        /// `blocks² + 1` offsets into ``pairs``.
        var stratumStart: [Int]
    }

    /// The seeded stream of epoch `epoch`'s permutations.
    func epochStream(seed: UInt64, epoch: Int) -> SeededRandom { SeededRandom(seed: seed, stream: 0xB9B0_0000_0000 | UInt64(epoch)) }

    /// The seeded stream of one stratum in one epoch.
    func stratumStream(seed: UInt64, epoch: Int, userBlock: Int, itemBlock: Int) -> SeededRandom {
        SeededRandom(seed: seed, stream: 0xB9B1_0000_0000_0000 | UInt64(epoch) << 16 | UInt64(userBlock) << 8 | UInt64(itemBlock))
    }

    func plan(seed: UInt64, epoch: Int) -> EpochPlan {
        var random = epochStream(seed: seed, epoch: epoch)
        let b = blocks
        var itemOrder = activeItems
        Self.shuffle(&itemOrder, &random)
        let active = itemOrder.count
        var userOrder = [Int32](0..<Int32(users))
        Self.shuffle(&userOrder, &random)
        var itemBlock = [UInt8](repeating: 0, count: items)
        for (position, item) in itemOrder.enumerated() { itemBlock[Int(item)] = UInt8(position * b / active) }
        var userBlock = [UInt8](repeating: 0, count: users)
        for (position, user) in userOrder.enumerated() { userBlock[Int(user)] = UInt8(position * b / users) }
        // Block c holds the positions p with p·b/n == c, that is ceil(c·n/b) ..< ceil((c+1)·n/b).
        let itemStart = (0...b).map { ($0 * active + b - 1) / b }
        var stratumStart = [Int](repeating: 0, count: b * b + 1)
        var pairs = [UInt64](repeating: 0, count: owners.count)
        owners.withUnsafeBufferPointer { owners in
            matrix.columnIndices.withUnsafeBufferPointer { columns in
                itemBlock.withUnsafeBufferPointer { itemBlock in
                    userBlock.withUnsafeBufferPointer { userBlock in
                        stratumStart.withUnsafeMutableBufferPointer { start in
                            for p in 0..<owners.count {
                                start[Int(userBlock[Int(owners[p])]) * b + Int(itemBlock[Int(columns[p])]) + 1] += 1
                            }
                            for s in 0..<(b * b) { start[s + 1] += start[s] }
                            var fill = Array(start)
                            fill.withUnsafeMutableBufferPointer { fill in
                                pairs.withUnsafeMutableBufferPointer { pairs in
                                    for p in 0..<owners.count {
                                        let u = owners[p], i = columns[p]
                                        let s = Int(userBlock[Int(u)]) * b + Int(itemBlock[Int(i)])
                                        pairs[fill[s]] = UInt64(UInt32(u)) << 32 | UInt64(UInt32(i))
                                        fill[s] += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return EpochPlan(itemOrder: itemOrder, itemStart: itemStart, itemBlock: itemBlock, userBlock: userBlock,
                         pairs: pairs, stratumStart: stratumStart)
    }

    // MARK: Training

    /// Trains from seeded initial factors; returns the visitor factors (users × factors), the item factors
    /// (items × factors) and the item biases.
    func train(settings: Settings, seed: UInt64) -> (users: Matrix, items: Matrix, biases: [Float]) {
        // Initial factors: visitors' rows then items' rows, row-major, from the seed's main stream. Uniform on
        // [−a, a] with a = √3·scale has standard deviation `initialScale`.
        var random = SeededRandom(seed: seed)
        let spread = Float(3).squareRoot() * settings.initialScale
        let userRows = AlignedFactorRows(rows: users, factors: factors, stride: stride, random: &random, spread: spread)
        let itemRows = AlignedFactorRows(rows: items, factors: factors, stride: stride, random: &random, spread: spread)
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: max(1, items))
        bias.initialize(repeating: 0, count: items)
        let negatives = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, matrix.nonZeroCount))
        defer {
            userRows.deallocate()
            itemRows.deallocate()
            bias.deallocate()
            negatives.deallocate()
        }
        let workers = max(1, min(settings.threads, blocks))
        var learningRate = settings.learningRate
        for epoch in 0..<settings.epochs {
            var plan = plan(seed: seed, epoch: epoch)
            let kernel = BPRKernel(users: userRows.base, items: itemRows.base, bias: bias, stride: stride,
                                rate: learningRate, regularization: settings.regularization, itemBias: settings.itemBias)
            let itemStart = plan.itemStart, stratumStart = plan.stratumStart, itemOrder = plan.itemOrder
            itemOrder.withUnsafeBufferPointer { itemOrder in
                plan.pairs.withUnsafeMutableBufferPointer { pairs in
                    matrix.rowPointers.withUnsafeBufferPointer { rowPointers in
                        matrix.columnIndices.withUnsafeBufferPointer { columns in
                          positiveFilter.words.withUnsafeBufferPointer { filterWords in
                            let sampler = BPRNegativeSampler(rowPointers: rowPointers.baseAddress!, columns: columns.baseAddress!,
                                                             itemOrder: itemOrder.baseAddress!, filterWords: filterWords.baseAddress!,
                                                             filterBits: positiveFilter.bits)
                            let pairBase = pairs.baseAddress!
                            // Strata run as a wavefront rather than round by round: stratum (ub, round r) touches
                            // visitor block ub and item block (ub + r) mod B, whose previous strata are (ub, r − 1) and
                            // (ub + 1, r − 1); it starts as soon as those two have finished. Every block sees its
                            // strata in the same order as with a barrier after each round (the same model), but a
                            // worker held up in one stratum only delays the strata that depend on it.
                            let wavefront = StratumWavefront(blocks: blocks)
                            Parallel.forEachChunkIndexed(count: workers, chunks: workers) { _, _ in
                                while let task = wavefront.next() {
                                    let ub: Int = task.userBlock
                                    let ib: Int = (ub + task.round) % blocks
                                    let s: Int = ub * blocks + ib
                                    let lo: Int = stratumStart[s], hi: Int = stratumStart[s + 1]
                                    if lo < hi {
                                        var random = stratumStream(seed: seed, epoch: epoch, userBlock: ub, itemBlock: ib)
                                        let stratum = UnsafeMutableBufferPointer(start: pairBase + lo, count: hi - lo)
                                        Self.shuffle(stratum, &random)
                                        sampler.sample(pairs: UnsafeBufferPointer(stratum), into: negatives + lo,
                                                       block: itemStart[ib]..<itemStart[ib + 1], random: &random)
                                        kernel.run(pairs: UnsafeBufferPointer(stratum), negatives: negatives + lo)
                                    }
                                    wavefront.finish(userBlock: ub, round: task.round)
                                }
                            }
                          }
                        }
                    }
                }
            }
            learningRate *= settings.decay
        }
        // Items without training pairs were never a positive, and are left out of the negatives like every model
        // that only knows the items it was trained on: zero vectors and a bias below every learned one, so that
        // they rank after all items with evidence (serving fills such places from content).
        if activeItems.count < items {
            var lowest = Float.infinity
            for i in activeItems { lowest = min(lowest, bias[Int(i)]) }
            var isActive = [Bool](repeating: false, count: items)
            for i in activeItems { isActive[Int(i)] = true }
            for i in 0..<items where !isActive[i] {
                (itemRows.base + i * stride).update(repeating: 0, count: stride)
                bias[i] = lowest - 1
            }
        }
        return (userRows.matrix(), itemRows.matrix(), Array(UnsafeBufferPointer(start: bias, count: items)))
    }

    /// Fisher–Yates with the given stream.
    static func shuffle(_ values: inout [Int32], _ random: inout SeededRandom) {
        values.withUnsafeMutableBufferPointer { buffer in
            guard buffer.count > 1 else { return }
            for i in Swift.stride(from: buffer.count - 1, to: 0, by: -1) {
                let j = random.nextInt(below: i + 1)
                let t = buffer[i]
                buffer[i] = buffer[j]
                buffer[j] = t
            }
        }
    }

    /// Fisher–Yates with the stratum's stream.
    static func shuffle(_ values: UnsafeMutableBufferPointer<UInt64>, _ random: inout SeededRandom) {
        guard values.count > 1 else { return }
        for i in Swift.stride(from: values.count - 1, to: 0, by: -1) {
            let j = random.nextInt(below: i + 1)
            let t = values[i]
            values[i] = values[j]
            values[j] = t
        }
    }
}

/// Draws negatives inside one item block, rejecting the visitor's own items.
///
/// Whether a drawn item is one of the visitor's is first asked of a Bloom filter of all positive pairs (one bit
/// lookup in a table small enough to stay in cache); only when the filter says "maybe" (the real positives and
/// about 6 % of the others) is the visitor's sorted CSR row searched. The filter never changes a result, only
/// how fast it is found.
struct BPRNegativeSampler {
    let rowPointers: UnsafePointer<Int>
    let columns: UnsafePointer<Int32>
    /// Items in block order (``StratifiedBPRTrainer/EpochPlan/itemOrder``).
    let itemOrder: UnsafePointer<Int32>
    /// The words and log2 size of the ``PairFilter`` of the positive pairs.
    let filterWords: UnsafePointer<UInt64>
    let filterBits: Int

    /// For every pair `(visitor << 32) | item`, a negative item from `block` (positions in `itemOrder`) that the
    /// visitor has no interaction with, or −1 when ``StratifiedBPRTrainer/negativeAttempts`` draws all hit positives.
    func sample(pairs: UnsafeBufferPointer<UInt64>, into out: UnsafeMutablePointer<Int32>, block: Range<Int>,
                random: inout SeededRandom) {
        let n = pairs.count, size = block.count, start = block.lowerBound
        guard size > 0 else {
            for x in 0..<n { out[x] = -1 }
            return
        }
        for x in 0..<n {
            let u = Int(pairs[x] >> 32)
            var j = itemOrder[start + random.nextInt(below: size)]
            var attempts = 1
            while isPositive(user: u, item: j) {
                if attempts == StratifiedBPRTrainer.negativeAttempts {
                    j = -1
                    break
                }
                j = itemOrder[start + random.nextInt(below: size)]
                attempts += 1
            }
            out[x] = j
        }
    }

    /// Whether `user` interacted with `item`.
    @inline(__always)
    func isPositive(user: Int, item: Int32) -> Bool {
        PairFilter.mayContain(words: filterWords, bits: filterBits, user: user, item: item)
            && Self.contains(columns, rowPointers[user], rowPointers[user + 1], item)
    }

    /// Binary search for `column` in the sorted `columns[start..<end]`.
    @inline(__always)
    static func contains(_ columns: UnsafePointer<Int32>, _ start: Int, _ end: Int, _ column: Int32) -> Bool {
        var lo = start, hi = end
        while lo < hi {
            let mid = (lo + hi) >> 1
            let c = columns[mid]
            if c == column { return true }
            if c < column { lo = mid + 1 } else { hi = mid }
        }
        return false
    }
}

/// A one-hash Bloom filter over (visitor, item) pairs: `mayContain` is true for every inserted pair and, with about
/// 16 bits per pair, for about 6 % of the others.
struct PairFilter: Sendable {
    let words: [UInt64]
    /// log2 of the number of bits.
    let bits: Int

    init(matrix: SparseMatrix, owners: [Int32]) {
        var bits = 12
        while bits < 27 && (1 << bits) < 16 * matrix.nonZeroCount { bits += 1 }
        self.bits = bits
        var words = [UInt64](repeating: 0, count: 1 << (bits - 6))
        for p in 0..<owners.count {
            let h = Self.hash(user: Int(owners[p]), item: matrix.columnIndices[p], bits: bits)
            words[h >> 6] |= 1 << UInt64(h & 63)
        }
        self.words = words
    }

    @inline(__always)
    static func hash(user: Int, item: Int32, bits: Int) -> Int {
        Int(truncatingIfNeeded: ((UInt64(UInt32(truncatingIfNeeded: user)) << 32 | UInt64(UInt32(bitPattern: item)))
            &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    /// Whether the filter with `words` (2^`bits` bits) may hold the pair.
    @inline(__always)
    static func mayContain(words: UnsafePointer<UInt64>, bits: Int, user: Int, item: Int32) -> Bool {
        let h = hash(user: user, item: item, bits: bits)
        return words[h >> 6] & (1 << UInt64(h & 63)) != 0
    }

    /// Whether the filter may hold the pair (true for every inserted pair).
    func mayContain(user: Int, item: Int32) -> Bool {
        words.withUnsafeBufferPointer { Self.mayContain(words: $0.baseAddress!, bits: bits, user: user, item: item) }
    }
}

/// The SGD step over a stratum's (visitor, positive, negative) triples, on padded aligned rows.
struct BPRKernel {
    let users: UnsafeMutablePointer<Float>
    let items: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>
    let stride: Int
    let rate: Float
    let regularization: Float
    let itemBias: Bool

    func run(pairs: UnsafeBufferPointer<UInt64>, negatives: UnsafePointer<Int32>) {
        let n = pairs.count
        let bytes = stride * 4
        let distance = StratifiedBPRTrainer.prefetchDistance
        let shrink = 1 - rate * regularization
        let va = SIMD16<Float>(repeating: shrink)
        for x in 0..<n {
            if x + distance < n {
                let ahead = pairs[x + distance], negative = negatives[x + distance]
                VectorKernels.prefetch(users + Int(ahead >> 32) * stride, byteCount: bytes)
                VectorKernels.prefetch(items + Int(ahead & 0xFFFF_FFFF) * stride, byteCount: bytes)
                if negative >= 0 { VectorKernels.prefetch(items + Int(negative) * stride, byteCount: bytes) }
            }
            let negative = negatives[x]
            if negative < 0 { continue }
            let pair = pairs[x]
            let i = Int(pair & 0xFFFF_FFFF), j = Int(negative)
            let p = UnsafeMutableRawPointer(users + Int(pair >> 32) * stride)
            let qi = UnsafeMutableRawPointer(items + i * stride), qj = UnsafeMutableRawPointer(items + j * stride)
            var sum = SIMD16<Float>()
            var o = 0
            while o < bytes {
                sum += p.load(fromByteOffset: o, as: SIMD16<Float>.self)
                    * (qi.load(fromByteOffset: o, as: SIMD16<Float>.self) - qj.load(fromByteOffset: o, as: SIMD16<Float>.self))
                o += 64
            }
            let score = (itemBias ? bias[i] - bias[j] : 0) + sum.sum()
            // g = σ(−x_uij): the gradient weight of ln σ(x_uij).
            let g = 1 / (1 + expf(score))
            let step = rate * g
            let vc = SIMD16<Float>(repeating: step)
            o = 0
            while o < bytes {
                let pf = p.load(fromByteOffset: o, as: SIMD16<Float>.self)
                let vi = qi.load(fromByteOffset: o, as: SIMD16<Float>.self)
                let vj = qj.load(fromByteOffset: o, as: SIMD16<Float>.self)
                let cp = vc * pf
                p.storeBytes(of: va * pf + vc * (vi - vj), toByteOffset: o, as: SIMD16<Float>.self)
                qi.storeBytes(of: va * vi + cp, toByteOffset: o, as: SIMD16<Float>.self)
                qj.storeBytes(of: va * vj - cp, toByteOffset: o, as: SIMD16<Float>.self)
                o += 64
            }
            if itemBias {
                bias[i] = shrink * bias[i] + step
                bias[j] = shrink * bias[j] - step
            }
        }
    }
}

/// Factor rows in a 64-byte aligned buffer, each padded to `stride` floats (the padding stays zero).
struct AlignedFactorRows {
    let base: UnsafeMutablePointer<Float>
    let rows: Int
    let factors: Int
    let stride: Int

    /// Rows of `factors` values uniform on [−spread, spread], drawn row by row from `random`.
    init(rows: Int, factors: Int, stride: Int, random: inout SeededRandom, spread: Float) {
        let count = max(1, rows * stride)
        base = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(to: Float.self, capacity: count)
        base.initialize(repeating: 0, count: count)
        self.rows = rows
        self.factors = factors
        self.stride = stride
        for r in 0..<rows {
            let row = base + r * stride
            for f in 0..<factors { row[f] = (random.nextFloat() * 2 - 1) * spread }
        }
    }

    /// The rows without padding.
    func matrix() -> Matrix {
        let k = factors
        let storage = [Float](unsafeUninitializedCapacity: rows * k) { buffer, count in
            for r in 0..<rows { (buffer.baseAddress! + r * k).initialize(from: base + r * stride, count: k) }
            count = rows * k
        }
        return Matrix(rows: rows, columns: k, storage: storage)
    }

    func deallocate() { UnsafeMutableRawPointer(base).deallocate() }
}

/// Hands out one epoch's strata `(visitor block, round)` in round-major order, each once its two predecessors — the
/// same visitor block's stratum in the previous round and the previous stratum of its item block — have finished.
final class StratumWavefront: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private let blocks: Int
    private var nextTask = 0
    /// The last finished round of each visitor block (−1: none yet).
    private var finished: [Int]

    init(blocks: Int) {
        self.blocks = blocks
        finished = [Int](repeating: -1, count: blocks)
    }

    /// The next stratum, once it may start; nil when every stratum of the epoch has been handed out.
    func next() -> (userBlock: Int, round: Int)? {
        condition.lock()
        defer { condition.unlock() }
        let total: Int = blocks * blocks
        guard nextTask < total else { return nil }
        let round: Int = nextTask / blocks
        let ub: Int = nextTask % blocks
        nextTask += 1
        // Predecessors come earlier in round-major order, so they were handed out already: no deadlock.
        let previous: Int = round - 1
        let neighbour: Int = (ub + 1) % blocks
        while round > 0 && (finished[ub] < previous || finished[neighbour] < previous) { condition.wait() }
        return (ub, round)
    }

    /// Records that stratum `(userBlock, round)` has finished and wakes the workers waiting for it.
    func finish(userBlock: Int, round: Int) {
        condition.lock()
        finished[userBlock] = round
        condition.broadcast()
        condition.unlock()
    }
}
