import CurioCore
import CurioPolicy
import CurioRecommend
import Foundation

extension Curio {
    /// The recommendation service of this collection (created on first use and shared by every caller).
    /// - Throws: file errors creating the policy folder next to the database.
    public func recommendations() throws -> RecommendationService {
        try recommendationSlot.service {
            try RecommendationService(store: store, databasePath: databasePath, logger: logger)
        }
    }

    /// An explained, policy-controlled list for one visitor, folding in their stored events.
    ///
    /// ```swift
    /// let list = try curio.recommend(RecommendationRequest(visitor: "v-1029", k: 10))
    /// for item in list.items { print(item.title, item.explanation) }
    /// ```
    /// - Throws: ``RecommendationSetupError`` (unknown policy, model or subject), store errors.
    public func recommend(_ request: RecommendationRequest) throws -> RecommendationList {
        try recommendations().recommend(request)
    }

    /// Objects similar to one object, with explanations.
    /// - Throws: ``RecommendationSetupError/unknownItem(_:)``.
    public func similar(to item: ItemID, k: Int = 10) throws -> SimilarList {
        try recommendations().similar(to: item, k: k)
    }

    /// Exposure delivered by this process so far, against a policy's targets (nil: `default`).
    public func exposure(policy: String? = nil) throws -> ExposureReport {
        try recommendations().exposure(policy: policy)
    }

    /// The folder holding trained models (`<db>.models`).
    /// - Throws: ``RecommendationSetupError/noDatabaseFile`` for an in-memory collection.
    public func modelDirectory() throws -> ModelDirectory {
        guard let databasePath else { throw RecommendationSetupError.noDatabaseFile }
        return ModelDirectory(databasePath: databasePath)
    }
}

/// Holds a collection's ``RecommendationService`` once created.
final class RecommendationServiceSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var value: RecommendationService?

    func service(_ make: () throws -> RecommendationService) throws -> RecommendationService {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = try make()
        value = made
        return made
    }
}
