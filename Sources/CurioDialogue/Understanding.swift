import CurioCore
import Foundation

/// What the visitor wants from this turn.
public enum Intent: String, Sendable, Codable, CaseIterable {
    /// A new request ("show me stormy seascapes").
    case find
    /// Narrow or change the current request ("but older", "no more Turner").
    case refine
    /// Compare two objects ("compare the first and the second").
    case compare
    /// Why an object was suggested ("why this one?").
    case explain
    /// Facts about an object ("tell me about the second one").
    case tellMeAbout = "tell_me_about"
    /// Plan a visit ("what should I see in 30 minutes?").
    case planVisit = "plan_visit"
    /// Start again ("start over").
    case reset
    /// More results ("show me others").
    case more
    /// Feedback on an object ("I love this one", "not for me").
    case like, dislike
    case greet, help
}

/// A relative change requested against a reference object.
public enum Critique: String, Sendable, Codable, CaseIterable {
    case older, newer, moreColourful = "more_colourful", lessColourful = "less_colourful"
    case brighter, darker, smaller, larger, lessFamous = "less_famous", moreFamous = "more_famous"
}

/// A constraint on the objects to show.
public struct Constraint: Sendable, Codable, Hashable {
    public enum Value: Sendable, Codable, Hashable {
        case entity(EntityRef)
        case years(from: Int?, to: Int?)
        case gender(String)
    }
    public var value: Value
    /// False for "not", "no more", "except".
    public var include: Bool
    public init(_ value: Value, include: Bool = true) {
        self.value = value
        self.include = include
    }
}

/// The reading of one message.
public struct Understanding: Sendable {
    public var intent: Intent
    public var constraints: [Constraint]
    public var critiques: [Critique]
    /// Items the message points at: "this one" (the focus), "the second" (position in the last list), or an id.
    public var references: [Reference]
    /// Minutes, for visit planning.
    public var minutes: Int?
    /// Content words left after linking, for free-text search.
    public var residualText: String
    public var mentions: [EntityMention]

    public enum Reference: Sendable, Equatable {
        case focus
        case position(Int)
        case item(ItemID)
    }
}

/// Offline language understanding: intents, entities, negation, critiques, periods and references, by
/// rules over folded tokens plus the ``EntityLinker``. Deterministic and fast (well under a millisecond
/// for a typical message on a 70k-item collection).
public struct MessageInterpreter: Sendable {
    public let linker: EntityLinker
    public let catalogue: DialogueCatalogue

    public init(linker: EntityLinker, catalogue: DialogueCatalogue) {
        self.linker = linker
        self.catalogue = catalogue
    }

    private static let negators: Set<String> = ["not", "no", "except", "without", "nothing", "exclude", "excluding", "avoid", "never", "but"]
    private static let ordinals: [String: Int] = [
        "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
        "last": -1,
    ]
    /// Named periods of British art history, as year ranges.
    public static let namedPeriods: [String: (Int, Int)] = [
        "tudor": (1485, 1603), "elizabethan": (1558, 1603), "jacobean": (1603, 1625), "stuart": (1603, 1714),
        "georgian": (1714, 1837), "regency": (1811, 1837), "victorian": (1837, 1901), "edwardian": (1901, 1914),
        "medieval": (500, 1500), "renaissance": (1400, 1600), "baroque": (1600, 1750), "interwar": (1918, 1939),
        "postwar": (1945, 1970), "contemporary": (1970, 2100), "modern": (1900, 2100),
    ]

    /// Reads one message. `hasContext` tells whether a request is already under way (so new constraints refine it).
    public func interpret(_ message: String, hasContext: Bool) -> Understanding {
        let tokens = TextNormalizer.tokens(message)
        let folded = " " + tokens.joined(separator: " ") + " "
        func has(_ phrase: String) -> Bool { folded.contains(" \(phrase) ") }
        var used = Set<Int>()
        var critiques: [Critique] = []
        var constraints: [Constraint] = []
        var references: [Understanding.Reference] = []
        var minutes: Int?

        // Critiques (relative requests).
        let critiquePhrases: [(String, Critique)] = [
            ("older", .older), ("earlier", .older), ("more old", .older), ("newer", .newer), ("more recent", .newer),
            ("later", .newer), ("more modern", .newer), ("more colourful", .moreColourful), ("more colorful", .moreColourful),
            ("more vivid", .moreColourful), ("less colourful", .lessColourful), ("less colorful", .lessColourful),
            ("more muted", .lessColourful), ("calmer", .lessColourful), ("brighter", .brighter), ("lighter", .brighter),
            ("darker", .darker), ("smaller", .smaller), ("bigger", .larger), ("larger", .larger),
            ("less famous", .lessFamous), ("lesser known", .lessFamous), ("less known", .lessFamous),
            ("less popular", .lessFamous), ("hidden gem", .lessFamous), ("hidden gems", .lessFamous),
            ("more famous", .moreFamous), ("more popular", .moreFamous), ("better known", .moreFamous),
        ]
        for (phrase, critique) in critiquePhrases {
            let parts = phrase.split(separator: " ").map(String.init)
            for start in 0..<max(0, tokens.count - parts.count + 1) where Array(tokens[start..<(start + parts.count)]) == parts {
                if !critiques.contains(critique) { critiques.append(critique) }
                used.formUnion(start..<(start + parts.count))
            }
        }

        // Gender ("by a woman", "women artists", "female").
        for (i, t) in tokens.enumerated() {
            let negated = i > 0 && Self.negators.contains(tokens[max(0, i - 3)..<i].last { Self.negators.contains($0) } ?? "")
            switch t {
            case "woman", "women", "female", "she":
                if t == "she" { continue }
                // "woman" as a subject ("portraits of women") vs as a maker ("by women"): "by" before it, or "artist" after.
                let byBefore = i > 0 && (tokens[i - 1] == "by" || (i > 1 && tokens[i - 2] == "by" && tokens[i - 1] == "a"))
                let artistAfter = i + 1 < tokens.count && ["artist", "artists", "painter", "painters", "maker", "makers"].contains(tokens[i + 1])
                if byBefore || artistAfter || t == "female" {
                    constraints.append(Constraint(.gender("Female"), include: !negated))
                    used.insert(i)
                    if artistAfter { used.insert(i + 1) }
                }
            case "man", "men", "male":
                let byBefore = i > 0 && (tokens[i - 1] == "by" || (i > 1 && tokens[i - 2] == "by" && tokens[i - 1] == "a"))
                let artistAfter = i + 1 < tokens.count && ["artist", "artists", "painter", "painters"].contains(tokens[i + 1])
                if byBefore || artistAfter || t == "male" {
                    constraints.append(Constraint(.gender("Male"), include: !negated))
                    used.insert(i)
                    if artistAfter { used.insert(i + 1) }
                }
            default: break
            }
        }

        // Periods: centuries, decades, before/after/between years, named periods.
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if let period = Self.namedPeriods[t] {
                constraints.append(Constraint(.years(from: period.0, to: period.1)))
                used.insert(i)
            } else if t.hasSuffix("th") || t.hasSuffix("st") || t.hasSuffix("nd") || t.hasSuffix("rd"),
                      let n = Int(t.dropLast(2)), (1...21).contains(n), i + 1 < tokens.count, tokens[i + 1] == "century" {
                constraints.append(Constraint(.years(from: (n - 1) * 100 + 1, to: n * 100)))
                used.formUnion([i, i + 1])
                i += 1
            } else if t.hasSuffix("s"), let n = Int(t.dropLast()), n >= 1000, n <= 2100, n % 10 == 0 {
                // "1850s" is a decade; "1800s" is read as the whole century, as visitors mean it.
                constraints.append(Constraint(.years(from: n, to: n + (n % 100 == 0 ? 99 : 9))))
                used.insert(i)
            } else if let n = Int(t), n >= 1000, n <= 2100 {
                let previous = i > 0 ? tokens[i - 1] : ""
                if previous == "before" || previous == "until" || previous == "pre" {
                    constraints.append(Constraint(.years(from: nil, to: n - 1)))
                    used.formUnion([i - 1, i])
                } else if previous == "after" || previous == "since" || previous == "post" {
                    constraints.append(Constraint(.years(from: n + 1, to: nil)))
                    used.formUnion([i - 1, i])
                } else if previous == "between" || previous == "from", i + 2 < tokens.count,
                          ["and", "to"].contains(tokens[i + 1]), let m = Int(tokens[i + 2]) {
                    constraints.append(Constraint(.years(from: min(n, m), to: max(n, m))))
                    used.formUnion([i - 1, i, i + 1, i + 2])
                    i += 2
                } else {
                    let margin = (previous == "around" || previous == "circa" || previous == "c") ? 10 : 0
                    constraints.append(Constraint(.years(from: n - margin, to: n + margin)))
                    used.insert(i)
                }
            } else if let n = Int(t), n > 0, n <= 600, i + 1 < tokens.count,
                      ["minutes", "minute", "mins", "min", "hours", "hour", "hrs", "h"].contains(tokens[i + 1]) {
                minutes = tokens[i + 1].hasPrefix("h") ? n * 60 : n
                used.formUnion([i, i + 1])
                i += 1
            } else if t == "half", i + 2 < tokens.count, tokens[i + 1] == "an", tokens[i + 2] == "hour" {
                minutes = 30
                used.formUnion([i, i + 1, i + 2])
                i += 2
            } else if (t == "an" || t == "one" || t == "half") && i + 1 < tokens.count && tokens[i + 1] == "hour" {
                minutes = t == "half" ? 30 : 60
                used.formUnion([i, i + 1])
                i += 1
            }
            i += 1
        }

        // References: "this one", "the second", "number 3", "#2", explicit ids.
        for (j, t) in tokens.enumerated() where !used.contains(j) {
            if let n = Self.ordinals[t], j + 1 >= tokens.count || ["one", "work", "painting", "piece", "picture", "item", "option"].contains(tokens[j + 1]) || j > 0 && tokens[j - 1] == "the" {
                references.append(.position(n))
                used.insert(j)
            } else if t == "number" || t == "no", j + 1 < tokens.count, let n = Int(tokens[j + 1]), (1...50).contains(n) {
                references.append(.position(n))
                used.formUnion([j, j + 1])
            } else if catalogue.index[ItemID(t.uppercased())] != nil, t.count >= 4, t.contains(where: \.isNumber) {
                references.append(.item(ItemID(t.uppercased())))
                used.insert(j)
            }
        }
        if has("this one") || has("this") || has("that one") || has("it") || has("this painting") || has("this work") || has("like this") {
            if !references.contains(.focus) { references.insert(.focus, at: 0) }
        }
        if let hash = message.firstIndex(of: "#"), let n = Int(message[message.index(after: hash)...].prefix(while: \.isNumber)), (1...50).contains(n) {
            references.append(.position(n))
        }

        // Entities, with negation scope: a negator applies to the entities after it up to the next "and"/"but"/punctuation.
        let mentions = linker.link(tokens: tokens, skip: used)
        for m in mentions {
            let start = m.tokenRange.lowerBound
            var negated = false
            var j = start - 1
            var steps = 0
            while j >= 0, steps < 4 {
                let w = tokens[j]
                if Self.negators.contains(w) {
                    // "nothing but X" means only X; "but older" is not a negation.
                    if w == "but", j > 0, tokens[j - 1] == "nothing" || tokens[j - 1] == "anything" { negated = tokens[j - 1] == "anything"; break }
                    if w == "but" { break }
                    negated = true
                    break
                }
                if w == "and" || w == "or" { break }
                j -= 1
                steps += 1
            }
            if has("no more") && folded.range(of: " no more ")!.lowerBound < folded.range(of: " \(m.text) ")?.lowerBound ?? folded.startIndex {
                negated = true
            }
            constraints.append(Constraint(.entity(m.entity), include: !negated))
        }
        var mentionTokens = used
        for m in mentions { mentionTokens.formUnion(m.tokenRange) }
        let residual = tokens.enumerated().filter { !mentionTokens.contains($0.offset) && !TextNormalizer.stopwords.contains($0.element)
            && !Self.negators.contains($0.element) && !Self.intentWords.contains($0.element) }.map(\.element).joined(separator: " ")

        let intent = classify(tokens: tokens, has: has, constraints: constraints, critiques: critiques,
                              references: references, minutes: minutes, hasContext: hasContext)
        return Understanding(intent: intent, constraints: constraints, critiques: critiques, references: references,
                             minutes: minutes, residualText: residual, mentions: mentions)
    }

    private static let intentWords: Set<String> = [
        "why", "tell", "compare", "plan", "tour", "visit", "reset", "start", "over", "hello", "hi", "help", "love", "hate",
        "others", "other", "next", "else", "again", "liked", "dislike", "minutes", "hour", "route", "should",
    ]

    private func classify(tokens: [String], has: (String) -> Bool, constraints: [Constraint], critiques: [Critique],
                          references: [Understanding.Reference], minutes: Int?, hasContext: Bool) -> Intent {
        if has("start over") || has("start again") || has("reset") || has("forget") || has("new search") || has("clear") {
            return .reset
        }
        if tokens.isEmpty { return .help }
        if has("help") || has("what can you do") || has("how does this work") { return .help }
        if has("why") || has("how come") || has("explain") { return .explain }
        if has("compare") || has("difference between") || has("differ") { return .compare }
        if minutes != nil || has("tour") || has("route") || has("plan") || has("what should i see") || has("itinerary") {
            return .planVisit
        }
        if has("tell me about") || has("tell me more") || has("more about") || has("who made") || has("who painted")
            || has("what is") || has("when was") || has("details") || has("info") || has("information") {
            return .tellMeAbout
        }
        if (has("i like") || has("i love") || has("love it") || has("love this") || has("i like it") || has("beautiful")
            || has("great") || has("nice")) && constraints.isEmpty && critiques.isEmpty {
            return .like
        }
        if (has("not for me") || has("i dont like") || has("i don't like") || has("dislike") || has("hate") || has("boring"))
            && constraints.isEmpty && critiques.isEmpty {
            return .dislike
        }
        if (has("more") || has("others") || has("other ones") || has("next") || has("anything else") || has("something else")
            || has("show more")) && constraints.isEmpty && critiques.isEmpty {
            return .more
        }
        if ["hello", "hi", "hey", "good morning", "good afternoon"].contains(where: has) && constraints.isEmpty && critiques.isEmpty {
            return .greet
        }
        if !critiques.isEmpty { return .refine }
        if hasContext && (has("but") || has("only") || has("instead") || has("no more") || has("not") || has("except")
            || has("without") || references.contains(.focus)) {
            return .refine
        }
        return .find
    }
}
