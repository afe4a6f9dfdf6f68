import Foundation

/// Who may call write endpoints.
///
/// Keys are compared in constant time (the comparison does not stop at the first differing byte), so response
/// times do not reveal how much of a guessed key is right.
public enum APIKeyPolicy: Sendable {
    /// Writes need this key in `Authorization: Bearer <key>` or `X-API-Key: <key>`.
    case required(key: String)
    /// No key is configured: writes are refused with 503 and a message saying how to enable them.
    case writesDisabled
    /// Anyone may write (demos on a private machine only: `--allow-unauthenticated-writes`).
    case unauthenticatedWrites

    /// The policy for a server process: the key from `CURIO_API_KEY` when set and non-empty, otherwise
    /// writes are disabled unless `allowUnauthenticated` is true.
    public static func from(environment: [String: String], allowUnauthenticated: Bool) -> APIKeyPolicy {
        if let key = environment["CURIO_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty {
            return .required(key: key)
        }
        return allowUnauthenticated ? .unauthenticatedWrites : .writesDisabled
    }

    /// Checks a write request; throws the problem to answer when it may not write.
    public func authorize(_ request: HTTPRequest) throws(Problem) {
        switch self {
        case .unauthenticatedWrites:
            return
        case .writesDisabled:
            throw Problem(.writesDisabled, detail: "This server has no API key configured. Set CURIO_API_KEY and restart it to accept writes (or use --allow-unauthenticated-writes for a local demo).")
        case let .required(key):
            guard let presented = Self.presentedKey(in: request) else {
                throw Problem(.unauthorized, detail: "Send the API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
                              errors: [FieldError(header: "Authorization", detail: "is missing")])
            }
            guard Self.constantTimeEquals(presented, key) else {
                throw Problem(.unauthorized, detail: "The API key is not valid.",
                              errors: [FieldError(header: request.headers["X-API-Key"] != nil ? "X-API-Key" : "Authorization",
                                                  detail: "does not hold a valid key")])
            }
        }
    }

    /// The key from `Authorization: Bearer …` (scheme case-insensitive) or `X-API-Key`.
    static func presentedKey(in request: HTTPRequest) -> String? {
        if let authorization = request.headers["Authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        if let key = request.headers["X-API-Key"]?.trimmingCharacters(in: .whitespaces), !key.isEmpty { return key }
        return nil
    }

    /// Compares two strings in time that depends only on their lengths, not on where they differ.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count) | UInt8(x.count == y.count ? 0 : 1)
        let length = max(x.count, y.count)
        for i in 0..<length {
            let p = i < x.count ? x[i] : 0
            let q = i < y.count ? y[i] : 0
            difference |= p ^ q
        }
        return difference == 0
    }
}
