/// Who is visiting together. Changes viewing times, walking tolerance and subject preferences
/// (documented in `docs/visits.md`).
public enum GroupType: String, Sendable, Codable, CaseIterable {
    /// One or more adults (the default).
    case adult
    /// Adults with children: shorter looks, less walking, animals and stories first.
    case family
    /// A school group with a teacher: history and society topics, moderate viewing times.
    case school

    /// Multiplier on an item's typical viewing time.
    public var viewingTimeFactor: Double {
        switch self {
        case .adult: 1.0
        case .family: 0.7
        case .school: 0.85
        }
    }

    /// Multiplier on the walking-distance penalty of the ``ContextReranker``.
    public var walkingPenaltyFactor: Double {
        switch self {
        case .adult: 1.0
        case .family: 1.5
        case .school: 1.2
        }
    }

    /// Subject label fragments (matched case-insensitively against an item's subjects and their broader terms)
    /// that this group tends to enjoy.
    public var preferredSubjects: [String] {
        switch self {
        case .adult: []
        case .family: ["animals", "children", "toys", "fantastic", "tales, legends", "sport", "circus", "fairy",
                       "recreational activities", "music and entertainment"]
        case .school: ["history", "society", "education, science and learning", "work and occupations",
                       "politics", "transport"]
        }
    }

    /// Subject label fragments that this group is steered away from (a soft penalty, never a filter).
    public var avoidedSubjects: [String] {
        switch self {
        case .adult: []
        case .family, .school: ["nudes", "sex and relationships", "crime and punishment", "diseases and conditions"]
        }
    }
}
