import Testing
@testable import CurioMath

@Suite struct SparseMatrixTests {
    func sample() throws -> SparseMatrix {
        // [[1, 0, 2],
        //  [0, 0, 0],
        //  [0, 3, 4]]
        try SparseMatrix(rows: 3, columns: 3, entries: [
            .init(row: 2, column: 2, value: 4), .init(row: 0, column: 2, value: 2),
            .init(row: 0, column: 0, value: 1), .init(row: 2, column: 1, value: 3),
        ])
    }

    @Test func entriesAreSortedByRowAndColumn() throws {
        let m = try sample()
        #expect(m.rowPointers == [0, 2, 2, 4])
        #expect(m.columnIndices == [0, 2, 1, 2])
        #expect(m.values == [1, 2, 3, 4])
        #expect(m[2, 1] == 3)
        #expect(m[1, 1] == 0)
        #expect(m.contains(row: 0, column: 2))
    }

    @Test func duplicateEntriesAreCombined() throws {
        let m = try SparseMatrix(rows: 1, columns: 2, entries: [.init(row: 0, column: 1, value: 2), .init(row: 0, column: 1, value: 5)])
        #expect(m.values == [7])
        let maxed = try SparseMatrix(rows: 1, columns: 2, entries: [.init(row: 0, column: 1, value: 2), .init(row: 0, column: 1, value: 5)],
                                     combine: max)
        #expect(maxed.values == [5])
    }

    @Test func transposeIsCSC() throws {
        let t = try sample().transposed()
        #expect(t.rows == 3)
        #expect(t.rowPointers == [0, 1, 2, 4])
        #expect(t.columnIndices == [0, 2, 0, 2])
        #expect(t.values == [1, 3, 2, 4])
        #expect(t.transposed() == (try sample()))
    }

    @Test func productsAndSumsMatchDenseArithmetic() throws {
        let m = try sample()
        #expect(try m.multiplied(byVector: [1, 2, 3]) == [7, 0, 18])
        let dense = Matrix(rows: 3, columns: 2, storage: [1, 0, 0, 1, 1, 1])
        #expect(try m.multiplied(by: dense).storage == [3, 2, 0, 0, 4, 7])
        #expect(m.rowSums() == [3, 0, 7])
        #expect(m.columnSums() == [1, 3, 6])
        #expect(m.columnCounts() == [1, 1, 2])
        // XᵀX on columns [2, 0]: [[2²+4², 2·1], [1·2, 1]].
        #expect(m.gram(columns: [2, 0]).storage == [20, 2, 2, 1])
    }

    @Test func malformedInputIsRejected() {
        #expect(throws: MathError.self) { try SparseMatrix(rows: 1, columns: 1, entries: [.init(row: 0, column: 3, value: 1)]) }
        #expect(throws: MathError.self) {
            try SparseMatrix(rows: 1, columns: 3, rowPointers: [0, 2], columnIndices: [2, 1], values: [1, 1])
        }
        #expect(throws: MathError.self) {
            try SparseMatrix(rows: 2, columns: 3, rowPointers: [0, 1], columnIndices: [0], values: [1])
        }
        #expect(throws: MathError.self) { try SparseMatrix(rows: 1, columns: 1).multiplied(byVector: [1, 2]) }
    }
}

@Suite struct LinearAlgebraTests {
    @Test func choleskyInverseTimesMatrixIsIdentity() throws {
        let a = Matrix(rows: 3, columns: 3, storage: [4, 1, 2, 1, 5, 3, 2, 3, 6])
        var inverse = a
        try LAPACK.invertSymmetricPositiveDefinite(&inverse)
        let product = a.multiplied(by: inverse)
        for r in 0..<3 {
            for c in 0..<3 { #expect(abs(product[r, c] - (r == c ? 1 : 0)) < 1e-5) }
        }
    }

    @Test func notPositiveDefiniteIsAnError() {
        var a = Matrix(rows: 2, columns: 2, storage: [1, 2, 2, 1])
        #expect(throws: MathError.self) { try LAPACK.invertSymmetricPositiveDefinite(&a) }
    }

    @Test func choleskySolveAndConjugateGradientAgree() throws {
        let a: [Float] = [4, 1, 2, 1, 5, 3, 2, 3, 6]
        let b: [Float] = [1, 2, 3]
        var factor = a
        var x = b
        try factor.withUnsafeMutableBufferPointer { f in
            try x.withUnsafeMutableBufferPointer { xb in
                try LAPACK.solveSymmetricPositiveDefinite(n: 3, a: f.baseAddress!, b: xb.baseAddress!)
            }
        }
        var y: [Float] = [0, 0, 0]
        var scratch = ConjugateGradient.Scratch(n: 3)
        _ = y.withUnsafeMutableBufferPointer { yb in
            b.withUnsafeBufferPointer { bb in
                ConjugateGradient.solve(n: 3, x: yb.baseAddress!, b: bb.baseAddress!, steps: 10, scratch: &scratch) { v, out in
                    for r in 0..<3 { out[r] = (0..<3).reduce(Float(0)) { $0 + a[r * 3 + $1] * v[$1] } }
                }
            }
        }
        for i in 0..<3 { #expect(abs(x[i] - y[i]) < 1e-4) }
        // Check A·x = b.
        for r in 0..<3 { #expect(abs((0..<3).reduce(Float(0)) { $0 + a[r * 3 + $1] * x[$1] } - b[r]) < 1e-4) }
    }

    @Test func gramAndMatrixVectorProductUseBLASCorrectly() {
        let m = Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        #expect(m.gram().storage == [17, 22, 27, 22, 29, 36, 27, 36, 45])
        #expect(m.multiplied(byVector: [1, 0, -1]) == [-2, -2])
        var n = Matrix(rows: 2, columns: 2, storage: [3, 4, 0, 0])
        n.normalizeRows()
        #expect(n.storage == [0.6, 0.8, 0, 0])
    }
}

@Suite struct RandomTests {
    @Test func sameSeedSameSequence() {
        var a = SeededRandom(seed: 42)
        var b = SeededRandom(seed: 42)
        var c = SeededRandom(seed: 43)
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
        var s1 = SeededRandom(seed: 42, stream: 1)
        var s2 = SeededRandom(seed: 42, stream: 2)
        #expect(s1.next() != s2.next())
    }

    @Test func distributionsHaveTheirMeans() {
        var r = SeededRandom(seed: 7)
        let n = 20_000
        func mean(_ f: () -> Double) -> Double { (0..<n).reduce(0.0) { acc, _ in acc + f() } / Double(n) }
        #expect(abs(mean { r.nextDouble() } - 0.5) < 0.01)
        #expect(abs(mean { r.normal() }) < 0.03)
        #expect(abs(mean { r.gamma(shape: 2.5) } - 2.5) < 0.08)
        #expect(abs(mean { r.gamma(shape: 0.4) } - 0.4) < 0.03)
        #expect(abs(mean { Double(r.poisson(mean: 3)) } - 3) < 0.08)
        #expect(abs(mean { Double(r.geometric(successProbability: 0.25)) } - 3) < 0.15)
        #expect(abs(mean { Double(r.negativeBinomial(mean: 8, dispersion: 2)) } - 8) < 0.3)
        #expect(abs(mean { r.exponential(mean: 5) } - 5) < 0.2)
        let d = r.dirichlet([0.5, 0.5, 0.5])
        #expect(abs(d.reduce(0, +) - 1) < 1e-12)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(r.nextInt(below: 7)) })
    }

    @Test func aliasTableSamplesProportionally() throws {
        let table = try AliasTable(weights: [1, 0, 3])
        var r = SeededRandom(seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<40_000 { counts[table.sample(using: &r)] += 1 }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[2]) / Double(counts[0]) - 3) < 0.15)
        #expect(throws: MathError.self) { try AliasTable(weights: [0, 0]) }
        #expect(throws: MathError.self) { try AliasTable(weights: [1, -1]) }
        #expect(throws: MathError.self) { try AliasTable(weights: []) }
    }

    @Test func shuffleIsAPermutationAndDeterministic() {
        var a = Array(0..<50)
        var b = Array(0..<50)
        var r1 = SeededRandom(seed: 3)
        var r2 = SeededRandom(seed: 3)
        r1.shuffle(&a)
        r2.shuffle(&b)
        #expect(a == b)
        #expect(a.sorted() == Array(0..<50))
        #expect(a != Array(0..<50))
    }

    @Test func parallelChunksCoverEveryIndexOnce() {
        var hits = [Int](repeating: 0, count: 1000)
        hits.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            Parallel.forEachChunk(count: 1000) { range in for i in range { base[i] += 1 } }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
