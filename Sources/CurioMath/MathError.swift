/// Errors raised by CurioMath's numerical routines.
public enum MathError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A sparse matrix's index arrays are inconsistent.
    case malformedSparseMatrix(reason: String)
    /// Two operands do not fit together.
    case shapeMismatch(operation: String, left: String, right: String)
    /// A matrix that must be symmetric positive definite is not (LAPACK `info` > 0).
    case notPositiveDefinite(routine: String, info: Int)
    /// LAPACK rejected an argument (LAPACK `info` < 0): a bug in the caller.
    case lapackArgument(routine: String, info: Int)
    /// A distribution or sampler was given parameters outside its domain.
    case invalidParameter(name: String, value: Double, reason: String)

    public var description: String {
        switch self {
        case let .malformedSparseMatrix(reason): "sparse matrix is malformed: \(reason)"
        case let .shapeMismatch(operation, left, right): "\(operation): shapes \(left) and \(right) do not fit"
        case let .notPositiveDefinite(routine, info):
            "\(routine): matrix is not positive definite (leading minor \(info) is not positive); increase the regularisation"
        case let .lapackArgument(routine, info): "\(routine): argument \(-info) is invalid"
        case let .invalidParameter(name, value, reason): "parameter \(name) = \(value): \(reason)"
        }
    }
}
