import CurioCore

/// How long a visitor typically looks at an item, in seconds.
///
/// Defaults follow museum visitor studies (most looks are well under a minute; paintings and installations hold
/// people longer than works on paper): painting 75 s, sculpture 60 s, installation or time-based media 150 s,
/// works on paper 40 s, anything else 50 s. Group types scale these (``GroupType/viewingTimeFactor``); per-item
/// overrides win.
public struct ViewingTimeModel: Sendable, Equatable {
    /// Seconds by classification keyword (matched case-insensitively as a substring of `Item.classification`).
    public var byClassification: [(keyword: String, seconds: Double)]
    /// Seconds when nothing matches or the item is unknown.
    public var defaultSeconds: Double
    /// Exact seconds for some items (e.g. a film's running time).
    public var overrides: [ItemID: Double]

    public init(byClassification: [(keyword: String, seconds: Double)] = ViewingTimeModel.standardClassifications,
                defaultSeconds: Double = 50, overrides: [ItemID: Double] = [:]) {
        self.byClassification = byClassification
        self.defaultSeconds = defaultSeconds
        self.overrides = overrides
    }

    /// The default table.
    public static let standardClassifications: [(keyword: String, seconds: Double)] = [
        ("painting", 75), ("sculpture", 60), ("relief", 50), ("installation", 150), ("time-based", 150),
        ("on paper", 40), ("print", 40), ("block for printing", 35),
    ]

    /// Viewing seconds for an item (or an unknown item) and a group type.
    public func seconds(for item: Item?, id: ItemID, group: GroupType = .adult) -> Double {
        if let s = overrides[id] { return s }
        var base = defaultSeconds
        if let c = item?.classification?.lowercased() {
            for (keyword, s) in byClassification where c.contains(keyword) {
                base = s
                break
            }
        }
        return base * group.viewingTimeFactor
    }

    public static func == (a: ViewingTimeModel, b: ViewingTimeModel) -> Bool {
        a.defaultSeconds == b.defaultSeconds && a.overrides == b.overrides
            && a.byClassification.map(\.keyword) == b.byClassification.map(\.keyword)
            && a.byClassification.map(\.seconds) == b.byClassification.map(\.seconds)
    }
}
