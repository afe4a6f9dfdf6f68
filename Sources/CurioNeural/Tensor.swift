/// A dense, row-major tensor of `Float` values in one contiguous buffer.
///
/// Weights are converted to `Float` when loaded, whatever their stored precision, so every kernel works on one
/// element type and every matrix product can go to `BLAS.sgemm`.
public struct Tensor: Sendable, Equatable {
    /// Extent of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `storage.count == shape.reduce(1, *)`.
    public var storage: [Float]

    /// Wraps `storage` with `shape`.
    /// - Precondition: the element count matches the shape (a programming error otherwise, not a data error).
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == storage.count,
                     "shape \(shape) does not hold \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    /// A zero-filled tensor of `shape`.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, storage: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Number of elements.
    public var count: Int { storage.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Throws ``NeuralError/shapeMismatch(name:expected:found:)`` unless the shape is `expected`.
    public func checkShape(_ expected: [Int], name: String) throws {
        guard shape == expected else { throw NeuralError.shapeMismatch(name: name, expected: expected, found: shape) }
    }
}
