/// Conjugate-gradient iterations for a symmetric positive definite system `A · x = b`, where `A` is given only
/// as a product `apply(v, out)` (out = A·v).
///
/// Warm-started from the incoming `x`; a few steps are enough when `x` is already close, which is how implicit ALS
/// uses it (Takács, Pilászy & Tikk 2011).
public enum ConjugateGradient {
    /// Scratch space for ``solve(n:x:b:steps:tolerance:scratch:apply:)`` so that hot loops do not allocate.
    public struct Scratch {
        public var residual: [Float]
        public var direction: [Float]
        public var product: [Float]
        public init(n: Int) {
            residual = [Float](repeating: 0, count: n)
            direction = [Float](repeating: 0, count: n)
            product = [Float](repeating: 0, count: n)
        }
    }

    /// Runs at most `steps` iterations, stopping early once the squared residual norm falls below `tolerance`.
    /// - Returns: the final squared residual norm.
    @discardableResult
    public static func solve(n: Int, x: UnsafeMutablePointer<Float>, b: UnsafePointer<Float>, steps: Int,
                             tolerance: Float = 1e-10, scratch: inout Scratch,
                             apply: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Float {
        scratch.residual.withUnsafeMutableBufferPointer { rBuf in
            scratch.direction.withUnsafeMutableBufferPointer { pBuf in
                scratch.product.withUnsafeMutableBufferPointer { apBuf in
                    let r = rBuf.baseAddress!, p = pBuf.baseAddress!, ap = apBuf.baseAddress!
                    apply(UnsafePointer(x), ap)
                    var rsOld: Float = 0
                    for i in 0..<n {
                        r[i] = b[i] - ap[i]
                        p[i] = r[i]
                        rsOld += r[i] * r[i]
                    }
                    if rsOld < tolerance { return rsOld }
                    for _ in 0..<steps {
                        apply(UnsafePointer(p), ap)
                        var pAp: Float = 0
                        for i in 0..<n { pAp += p[i] * ap[i] }
                        if pAp <= 0 { break }
                        let alpha = rsOld / pAp
                        var rsNew: Float = 0
                        for i in 0..<n {
                            x[i] += alpha * p[i]
                            r[i] -= alpha * ap[i]
                            rsNew += r[i] * r[i]
                        }
                        if rsNew < tolerance { return rsNew }
                        let beta = rsNew / rsOld
                        for i in 0..<n { p[i] = r[i] + beta * p[i] }
                        rsOld = rsNew
                    }
                    return rsOld
                }
            }
        }
    }
}
