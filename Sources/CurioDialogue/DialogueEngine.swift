import CurioCore
import Foundation

/// The offline conversational guide: understands a message, updates the conversation, and either asks the
/// most informative question or recommends objects with explanations. It never invents objects or facts:
/// every object comes from the catalogue and every statement about it from its stored facts.
public struct DialogueEngine: Sendable {
    public struct Settings: Sendable {
        /// Ask a question rather than recommend when more candidates than this remain and the request is broad.
        public var askThreshold = 40
        /// Questions per conversation at most.
        public var maxQuestions = 3
        /// Objects per reply.
        public var listSize = 3
        public init() {}
    }

    public let catalogue: DialogueCatalogue
    public let interpreter: MessageInterpreter
    public let tools: any DialogueTools
    public var settings: Settings
    public var planner: QuestionPlanner
    /// Which catalogue positions match each entity, built once.
    let postings: EntityPostings
    /// The question planner's attribute values per catalogue position, built once.
    let attributes: QuestionAttributes

    public init(catalogue: DialogueCatalogue, linker: EntityLinker? = nil, tools: (any DialogueTools)? = nil,
                settings: Settings = Settings(), planner: QuestionPlanner = QuestionPlanner()) {
        self.catalogue = catalogue
        self.interpreter = MessageInterpreter(linker: linker ?? EntityLinker(catalogue: catalogue), catalogue: catalogue)
        self.tools = tools ?? CatalogueTools(catalogue: catalogue)
        self.postings = EntityPostings(catalogue: catalogue)
        self.attributes = QuestionAttributes(items: catalogue.items)
        self.settings = settings
        self.planner = planner
    }

    /// Answers one message.
    /// - Parameters:
    ///   - message: what the visitor typed or said.
    ///   - item: an object given as the query ("more like this"), e.g. from a scan or a photo matched to the collection.
    ///   - state: the conversation, updated in place.
    public func respond(to message: String, item: ItemID? = nil, state: inout DialogueState, now: Date = Date()) -> Reply {
        var timings = ReplyTimings()
        return respond(to: message, item: item, state: &state, now: now, timings: &timings)
    }

    /// Answers one message, recording where the time went.
    /// - Parameter timings: milliseconds per stage are added to it.
    public func respond(to message: String, item: ItemID? = nil, state: inout DialogueState, now: Date = Date(),
                        timings: inout ReplyTimings) -> Reply {
        state.turns += 1
        state.updatedAt = now
        var log: [String] = []

        // An object given with the message becomes the focus of a "more like this" request.
        if let item, catalogue.facts(item) != nil {
            state.focus = item
            if !state.liked.contains(item) { state.liked.append(item) }
        }

        // A pending question may be answered by this message.
        let (u, referenced) = timings.measure(.understanding) { () -> (Understanding, [ItemID]) in
            var answered = false
            if let question = state.pendingQuestion {
                if let option = resolveAnswer(message, to: question) {
                    if let c = option { addConstraint(c, replaceSameKind: false, state: &state) }
                    state.pendingQuestion = nil
                    answered = true
                } else {
                    state.pendingQuestion = nil
                }
            }

            var u = interpreter.interpret(message, hasContext: state.hasContext || answered)
            if answered && (u.intent == .find || u.intent == .help || u.intent == .greet) && u.constraints.isEmpty {
                u.intent = .refine
            }
            if item != nil && (u.intent == .find || u.intent == .help) && u.constraints.isEmpty {
                u.intent = .refine
            }
            return (u, resolve(u.references, state: state))
        }
        if let first = referenced.first { state.focus = first }

        switch u.intent {
        case .reset:
            state.reset()
            state.turns = 1
            return reply(state, u.intent, "Let's start again. What would you like to see? You can name an artist, a subject, a period or a mood.", log: log)
        case .greet, .help:
            return reply(state, u.intent, Self.helpText, log: log)
        case .explain:
            guard let target = referenced.first ?? state.focus ?? state.lastList.first, let f = catalogue.facts(target) else {
                return reply(state, u.intent, "Which one? Say \"the first\", \"the second\" or name the work.", log: log)
            }
            log.append("explain(\(target))")
            var reasons = timings.measure(.explanation) { matchSentences(f, state: state) + tools.explain(item: target, liked: state.liked) }
            if reasons.isEmpty { reasons = ["It is one of the closest matches to your request in the collection."] }
            let item = replyItem(f, because: reasons)
            let text = "\(MarkdownItalics.italic(f.title)): " + reasons.joined(separator: " ")
            return reply(state, u.intent, text, items: [item], log: log)
        case .tellMeAbout:
            guard let target = referenced.first ?? state.focus ?? state.lastList.first, let f = catalogue.facts(target) else {
                return reply(state, u.intent, "Which work would you like to hear about? Say \"the first\" or \"this one\".", log: log)
            }
            state.focus = target
            return reply(state, u.intent, describe(f), items: [replyItem(f, because: [])], log: log)
        case .compare:
            var pair = referenced
            if pair.count < 2, state.lastList.count >= 2 { pair = Array(state.lastList.prefix(2)) }
            guard pair.count >= 2, let a = catalogue.facts(pair[0]), let b = catalogue.facts(pair[1]) else {
                return reply(state, u.intent, "Which two works should I compare? For example: \"compare the first and the second\".", log: log)
            }
            return reply(state, u.intent, compare(a, b), items: [replyItem(a, because: []), replyItem(b, because: [])], log: log)
        case .planVisit:
            let minutes = u.minutes ?? 60
            for c in u.constraints { addConstraint(c, replaceSameKind: false, state: &state) }
            let interests = state.liked + (state.focus.map { [$0] } ?? [])
            log.append("plan_tour(\(minutes) min)")
            do {
                // The request's own words and the names of what it asks for (makers, subjects, movements, places, media).
                let asked = state.constraints.compactMap { c -> String? in
                    guard c.include, case let .entity(e) = c.value, e.kind != .colour, e.kind != .item else { return nil }
                    return e.label
                }
                let words = ([state.freeText, u.residualText] + asked).joined(separator: " ").trimmingCharacters(in: .whitespaces)
                guard let tour = try tools.planTour(minutes: minutes, interests: interests, text: words) else {
                    return reply(state, u.intent, "I can't plan a route here because no floor plan is configured for this venue. I can still suggest works to look for.", log: log)
                }
                var lines: [String] = []
                var items: [ReplyItem] = []
                for (n, stop) in tour.stops.enumerated() {
                    guard let f = catalogue.facts(stop.item) else { continue }
                    lines.append("\(n + 1). \(MarkdownItalics.italic(f.title)) (\(stop.room))" + (stop.transition.map { " — \($0)" } ?? ""))
                    items.append(replyItem(f, because: stop.transition.map { [$0] } ?? []))
                }
                let text = "A \(tour.minutes)-minute route with \(items.count) stops:\n" + lines.joined(separator: "\n")
                var r = reply(state, u.intent, text, items: items, log: log)
                r.tour = tour
                state.lastList = items.map(\.id)
                return r
            } catch {
                return reply(state, u.intent, "I couldn't plan that visit: \(error)", log: log)
            }
        case .like, .dislike:
            guard let target = referenced.first ?? state.focus ?? state.lastList.first else {
                return reply(state, u.intent, "Which one? Say \"I like the second one\".", log: log)
            }
            if u.intent == .like {
                if !state.liked.contains(target) { state.liked.append(target) }
                state.disliked.removeAll { $0 == target }
            } else {
                if !state.disliked.contains(target) { state.disliked.append(target) }
                state.liked.removeAll { $0 == target }
            }
            state.pageOffset = 0
        case .more:
            state.pageOffset += settings.listSize
        case .find, .refine:
            timings.measure(.understanding) { apply(u, referenced: referenced, state: &state) }
            state.pageOffset = 0
        }
        return recommendOrAsk(state: &state, understanding: u, log: &log, timings: &timings)
    }

    static let helpText = """
    I can find works in the collection for you. Try: "stormy seascapes", "portraits by women artists", \
    "something like this but older", "no more Turner", "why this one?", "tell me about the second", \
    "compare the first and the second", or "what should I see in 30 minutes?".
    """

    // MARK: Understanding → state

    private func apply(_ u: Understanding, referenced: [ItemID], state: inout DialogueState) {
        let newPositive = u.constraints.contains { $0.include }
        if u.intent == .find && state.hasContext && newPositive {
            // A fresh request: keep likes, forget the previous constraints.
            state.constraints = []
            state.critiques = []
            state.freeText = ""
            state.askedAttributes = []
        }
        let replace = u.mentions.isEmpty ? false : TextNormalizer.tokens(u.residualText).contains { ["instead", "only", "rather"].contains($0) }
        for c in u.constraints { addConstraint(c, replaceSameKind: replace, state: &state) }
        if !u.critiques.isEmpty {
            if let anchor = referenced.first ?? state.focus ?? state.lastList.first {
                for critique in u.critiques {
                    state.critiques.removeAll { Self.opposite($0.critique) == critique || $0.critique == critique }
                    state.critiques.append(AnchoredCritique(critique: critique, reference: anchor))
                }
            }
        }
        if !u.residualText.isEmpty {
            state.freeText = u.intent == .find && u.constraints.isEmpty && !state.hasContext ? u.residualText
                : (state.freeText + " " + u.residualText).trimmingCharacters(in: .whitespaces)
        }
        if referenced.count == 1, u.critiques.isEmpty, u.constraints.isEmpty, let r = referenced.first,
           TextNormalizer.tokens(u.residualText).isEmpty {
            // "something like this one"
            if !state.liked.contains(r) { state.liked.append(r) }
        }
    }

    private static func opposite(_ c: Critique) -> Critique {
        switch c {
        case .older: .newer
        case .newer: .older
        case .moreColourful: .lessColourful
        case .lessColourful: .moreColourful
        case .brighter: .darker
        case .darker: .brighter
        case .smaller: .larger
        case .larger: .smaller
        case .lessFamous: .moreFamous
        case .moreFamous: .lessFamous
        }
    }

    private func kindKey(_ c: Constraint) -> String {
        switch c.value {
        case let .entity(e): "entity:\(e.kind.rawValue)"
        case .years: "years"
        case .gender: "gender"
        }
    }

    private func addConstraint(_ c: Constraint, replaceSameKind: Bool, state: inout DialogueState) {
        // The opposite polarity of the same value is withdrawn ("no more Turner" after "Turner").
        state.constraints.removeAll { $0.value == c.value }
        switch c.value {
        case .years, .gender:
            state.constraints.removeAll { kindKey($0) == kindKey(c) && $0.include == c.include }
        case .entity:
            if replaceSameKind && c.include { state.constraints.removeAll { kindKey($0) == kindKey(c) && $0.include } }
        }
        state.constraints.append(c)
    }

    private func resolve(_ references: [Understanding.Reference], state: DialogueState) -> [ItemID] {
        references.compactMap { r in
            switch r {
            case .focus: return state.focus ?? state.lastList.first
            case let .position(n):
                if n == -1 { return state.lastList.last }
                return n >= 1 && n <= state.lastList.count ? state.lastList[n - 1] : nil
            case let .item(id): return catalogue.facts(id) != nil ? id : nil
            }
        }
    }

    /// Returns `.some(constraint)` for a chosen option, `.some(nil)` for "no preference", `nil` if not an answer.
    private func resolveAnswer(_ message: String, to question: Question) -> Constraint?? {
        let folded = TextNormalizer.fold(message)
        let tokens = folded.split(separator: " ").map(String.init)
        if ["no preference", "any", "anything", "dont mind", "don't mind", "doesnt matter", "doesn't matter", "whatever", "either", "not sure", "no idea", "skip"]
            .contains(where: { " \(folded) ".contains(" \($0) ") }) {
            return .some(nil)
        }
        if tokens.count <= 3, let n = tokens.compactMap({ Int($0) }).first, n >= 1, n <= question.options.count {
            return .some(question.options[n - 1].constraint)
        }
        for option in question.options where " \(folded) ".contains(" \(TextNormalizer.fold(option.label)) ") {
            return .some(option.constraint)
        }
        return nil
    }

    // MARK: Ranking

    struct Candidate {
        var index: Int
        var score: Float
    }

    /// The best `limit` candidates satisfying the state, best first, and how many satisfy it in all; relaxes the
    /// oldest constraints when nothing matches.
    func rank(state: DialogueState, limit: Int, log: inout [String], timings: inout ReplyTimings)
        -> (candidates: [Candidate], total: Int, relaxed: [String]) {
        var working = state
        var relaxed: [String] = []
        var filtered = timings.measure(.filter) { filter(working) }
        while filtered.isEmpty, !working.constraints.isEmpty || !working.critiques.isEmpty {
            if !working.critiques.isEmpty {
                let c = working.critiques.removeFirst()
                relaxed.append("\"\(Self.critiqueWord(c.critique))\"")
            } else {
                relaxed.append("\"" + describe(working.constraints.removeFirst()) + "\"")
            }
            filtered = timings.measure(.filter) { filter(working) }
        }
        // Scores: text relevance, closeness to liked objects and critique anchors, a light popularity prior.
        var scores = [Float](repeating: 0, count: catalogue.items.count)
        let positives = working.constraints.compactMap { c -> String? in
            guard c.include, case let .entity(e) = c.value, e.kind != .colour else { return nil }
            return e.label
        }
        let query = ([working.freeText] + positives).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        if !query.isEmpty {
            log.append("search(\"\(query)\")")
            let hits = timings.measure(.search) { tools.search(query, k: 2_000) }
            timings.measure(.scoring) { add(hits, weight: 1, into: &scores) }
        }
        if !working.liked.isEmpty {
            log.append("recommend(liked: \(working.liked.count))")
            let hits = timings.measure(.recommend) { tools.recommend(liked: working.liked, disliked: working.disliked, k: 2_000) }
            timings.measure(.scoring) { add(hits, weight: 1.5, into: &scores) }
        }
        for anchor in Set(working.critiques.map(\.reference)) {
            log.append("similar(\(anchor))")
            let hits = timings.measure(.similar) { tools.similar(to: anchor, k: 2_000) }
            timings.measure(.scoring) { add(hits, weight: 1, into: &scores) }
        }
        let wantsObscure = working.critiques.contains { $0.critique == .lessFamous }
        let maxPop = postings.maxPopularity
        let result = timings.measure(.scoring) { () -> [Candidate] in
            // Only the best `limit` are ever looked at (a page, or the planner's sample): select them with a heap
            // instead of sorting every candidate. The order is total (score, then position), so the selection is
            // exactly the sorted list's prefix.
            var best = BestCandidates(limit: limit)
            for i in filtered {
                var s = scores[i]
                if maxPop > 0 {
                    s += (wantsObscure ? -0.2 : 0.1) * postings.popularityPrior[i]
                }
                best.offer(Candidate(index: i, score: s))
            }
            return best.sorted()
        }
        return (result, filtered.count, relaxed)
    }

    /// Adds reciprocal-rank scores (robust to each tool's scale).
    private func add(_ list: [(id: ItemID, score: Float)], weight: Float, into scores: inout [Float]) {
        for (rank, entry) in list.enumerated() {
            guard let i = catalogue.index[entry.id] else { continue }
            scores[i] += weight * 10 / Float(rank + 10)
        }
    }

    /// Catalogue positions satisfying the state. Entity constraints are answered from posting lists (no pass over
    /// the collection); only years, gender and critiques are checked item by item, on the survivors.
    func filter(_ state: DialogueState) -> [Int] {
        var byKind: [EntityRef.Kind: [EntityRef]] = [:]
        var excluded: [EntityRef] = []
        var years: [(Int?, Int?, Bool)] = []
        var genders: [(String, Bool)] = []
        for c in state.constraints {
            switch c.value {
            case let .entity(e): if c.include { byKind[e.kind, default: []].append(e) } else { excluded.append(e) }
            case let .years(from, to): years.append((from, to, c.include))
            case let .gender(g): genders.append((g, c.include))
            }
        }
        let items = catalogue.items
        let n = items.count
        // Positive constraints: AND across kinds, OR within a kind. Colour constraints only bind among objects with
        // image descriptors.
        var keep: [Bool]?
        for (kind, wanted) in byKind where !(kind == .colour && !postings.hasColourData) {
            var mask = [Bool](repeating: false, count: n)
            for e in wanted { for i in postings.matching(e) { mask[Int(i)] = true } }
            if var current = keep {
                for i in 0..<n where current[i] && !mask[i] { current[i] = false }
                keep = current
            } else {
                keep = mask
            }
        }
        var allowed = keep ?? [Bool](repeating: true, count: n)
        for e in excluded { for i in postings.matching(e) { allowed[Int(i)] = false } }
        for id in state.shown + state.disliked + state.liked { if let i = catalogue.index[id] { allowed[i] = false } }
        let anchors = state.critiques.compactMap { c in catalogue.facts(c.reference).map { (c.critique, $0) } }
        let perItem = !years.isEmpty || !genders.isEmpty || !anchors.isEmpty
        var out: [Int] = []
        for i in 0..<n where allowed[i] {
            guard perItem else {
                out.append(i)
                continue
            }
            var ok = true
            for (from, to, include) in years where ok {
                guard let s = items[i].startYear, let e = items[i].endYear else { ok = !include; continue }
                let overlaps = (from.map { e >= $0 } ?? true) && (to.map { s <= $0 } ?? true)
                ok = include ? overlaps : !overlaps
            }
            for (g, include) in genders where ok {
                ok = include ? items[i].makerGenders.contains(g) : !items[i].makerGenders.contains(g)
            }
            for (critique, ref) in anchors where ok { ok = satisfies(items[i], critique, ref) }
            if ok { out.append(i) }
        }
        return out
    }

    private func matches(_ f: ItemFacts, _ e: EntityRef) -> Bool {
        switch e.kind {
        case .maker: f.makers.contains { $0.id == e.id }
        case .subject: f.subjects.contains { $0.id == e.id }
        case .movement: f.movements.contains { $0.id == e.id }
        case .place: f.places.contains { $0.id == e.id }
        case .medium: f.mediumTerms.contains(e.id)
        case .colour: f.colours.prefix(2).contains(e.id)
        case .item: f.id.rawValue == e.id
        }
    }

    private func satisfies(_ f: ItemFacts, _ c: Critique, _ ref: ItemFacts) -> Bool {
        switch c {
        case .older: if let y = f.year, let r = ref.year { return y < r - 2 } else { return false }
        case .newer: if let y = f.year, let r = ref.year { return y > r + 2 } else { return false }
        case .moreColourful: if let a = f.colourfulness, let b = ref.colourfulness { return a > b * 1.1 } else { return false }
        case .lessColourful: if let a = f.colourfulness, let b = ref.colourfulness { return a < b * 0.9 } else { return false }
        case .brighter: if let a = f.brightness, let b = ref.brightness { return a > b + 5 } else { return false }
        case .darker: if let a = f.brightness, let b = ref.brightness { return a < b - 5 } else { return false }
        case .smaller: if let a = f.areaCM2, let b = ref.areaCM2 { return a < b * 0.8 } else { return false }
        case .larger: if let a = f.areaCM2, let b = ref.areaCM2 { return a > b * 1.25 } else { return false }
        case .lessFamous: return f.popularity < ref.popularity
        case .moreFamous: return f.popularity > ref.popularity
        }
    }

    // MARK: Replies

    /// How many of the best candidates the question planner weighs.
    static let questionSample = 2_000

    private func recommendOrAsk(state: inout DialogueState, understanding u: Understanding, log: inout [String],
                                timings: inout ReplyTimings) -> Reply {
        let positiveCount = state.constraints.filter(\.include).count
        let mayAsk = (u.intent == .find || u.intent == .refine) && state.askedAttributes.count < settings.maxQuestions
            && state.liked.isEmpty && positiveCount < 2
        let needed = max(state.pageOffset + settings.listSize, mayAsk ? Self.questionSample : 0)
        let (ranked, total, relaxed) = rank(state: state, limit: needed, log: &log, timings: &timings)
        if mayAsk, total > settings.askThreshold, relaxed.isEmpty,
           let question = timings.measure(.question, {
               planner.bestQuestion(positions: ranked.prefix(Self.questionSample).map(\.index), of: total, in: attributes,
                                    exclude: state.askedAttributes)
           }) {
            state.pendingQuestion = question
            state.askedAttributes.append(question.attribute)
            log.append("ask(\(question.attribute))")
            let options = question.options.enumerated().map { "\($0.offset + 1). \($0.element.label)" }.joined(separator: "\n")
            var r = reply(state, u.intent, question.text + "\n" + options + "\nOr say \"no preference\".", log: log)
            r.question = question
            return r
        }
        let page = Array(ranked.dropFirst(state.pageOffset).prefix(settings.listSize))
        guard !page.isEmpty else {
            let text = state.pageOffset > 0 ? "That's everything I found for this request. Try widening it, or say \"start over\"."
                : "I couldn't find anything in the collection for that. Try an artist, a subject or a period."
            return reply(state, u.intent, text, log: log)
        }
        var items: [ReplyItem] = []
        var lines: [String] = []
        timings.measure(.explanation) {
            for (n, c) in page.enumerated() {
                let f = catalogue.items[c.index]
                var because = matchSentences(f, state: state)
                if !state.liked.isEmpty { because += tools.explain(item: f.id, liked: state.liked) }
                if because.isEmpty { because = ["It is among the closest matches to your words in the collection."] }
                items.append(replyItem(f, because: because))
                let makers = f.makers.map(\.label).joined(separator: " and ")
                lines.append("\(n + 1). \(MarkdownItalics.italic(f.title))" + (makers.isEmpty ? "" : " by \(makers)") + (f.dateText.map { ", \($0)" } ?? ""))
            }
        }
        state.lastList = items.map(\.id)
        state.shown.append(contentsOf: items.map(\.id))
        state.focus = items.first?.id
        var text = ""
        if !relaxed.isEmpty {
            text += "Nothing in the collection matched everything, so I left out " + relaxed.joined(separator: " and ") + ". "
        }
        text += total > page.count ? "Here are \(page.count) of \(total) matches:\n" : "Here is what I found:\n"
        text += lines.joined(separator: "\n")
        return reply(state, u.intent, text, items: items, log: log)
    }

    /// Why an object matches the current request, from its stored facts.
    private func matchSentences(_ f: ItemFacts, state: DialogueState) -> [String] {
        var out: [String] = []
        for c in state.constraints where c.include {
            switch c.value {
            case let .entity(e) where matches(f, e):
                switch e.kind {
                case .maker: out.append("By \(e.label), as you asked.")
                case .subject: out.append("It shows \(e.label).")
                case .movement: out.append("It belongs to \(e.label).")
                case .place: out.append("Its maker was born in \(e.label).")
                case .medium: out.append("Made with \(e.label).")
                case .colour: out.append("Its palette is dominated by \(e.label).")
                case .item: break
                }
            case let .years(from, to):
                if let d = Self.dated(f) { out.append("\(d), within \(Self.yearsText(from, to)).") }
            case let .gender(g) where f.makerGenders.contains(g):
                out.append(g == "Female" ? "Made by a woman artist." : "Made by a male artist.")
            default: break
            }
        }
        for a in state.critiques {
            guard let ref = catalogue.facts(a.reference) else { continue }
            switch a.critique {
            case .older, .newer:
                if let d = Self.dated(f), let rd = Self.dated(ref) {
                    out.append("\(d), \(a.critique == .older ? "earlier" : "later") than \(MarkdownItalics.italic(ref.title)) (\(rd.prefix(1).lowercased() + rd.dropFirst())).")
                }
            case .lessFamous: out.append("Less often viewed than \(MarkdownItalics.italic(ref.title)).")
            case .moreFamous: out.append("More often viewed than \(MarkdownItalics.italic(ref.title)).")
            case .smaller, .larger: out.append("\(a.critique == .smaller ? "Smaller" : "Larger") than \(MarkdownItalics.italic(ref.title)).")
            case .moreColourful, .lessColourful, .brighter, .darker:
                out.append("\(Self.critiqueWord(a.critique).capitalized) than \(MarkdownItalics.italic(ref.title)).")
            }
        }
        return out
    }

    /// "Dated 1836" from the catalogue's date text, or "Made 1814–1825" from the parsed years when the text has no
    /// year ("date not known"); nil when undated.
    static func dated(_ f: ItemFacts) -> String? {
        if let text = f.dateText, text.contains(where: \.isNumber) { return "Dated \(text)" }
        guard let s = f.startYear, let e = f.endYear else { return nil }
        return s == e ? "Made \(s)" : "Made \(s)–\(e)"
    }

    static func critiqueWord(_ c: Critique) -> String {
        switch c {
        case .older: "older"
        case .newer: "newer"
        case .moreColourful: "more colourful"
        case .lessColourful: "less colourful"
        case .brighter: "brighter"
        case .darker: "darker"
        case .smaller: "smaller"
        case .larger: "larger"
        case .lessFamous: "less famous"
        case .moreFamous: "more famous"
        }
    }

    static func yearsText(_ from: Int?, _ to: Int?) -> String {
        switch (from, to) {
        case let (f?, t?): f == t ? "\(f)" : "\(f)–\(t)"
        case let (f?, nil): "after \(f - 1)"
        case let (nil, t?): "before \(t + 1)"
        default: "any date"
        }
    }

    /// A constraint in words, for "understood" lists and relaxation notes.
    public func describe(_ c: Constraint) -> String {
        let body: String
        switch c.value {
        case let .entity(e):
            switch e.kind {
            case .maker: body = "by \(e.label)"
            case .subject: body = "showing \(e.label)"
            case .movement: body = "in \(e.label)"
            case .place: body = "from \(e.label)"
            case .medium: body = "in \(e.label)"
            case .colour: body = "mostly \(e.label)"
            case .item: body = e.label
            }
        case let .years(from, to): body = "dated \(Self.yearsText(from, to))"
        case let .gender(g): body = g == "Female" ? "by a woman" : "by a man"
        }
        return c.include ? body : "not " + body
    }

    private func describe(_ f: ItemFacts) -> String {
        var parts = ["\(MarkdownItalics.italic(f.title))"]
        if !f.makers.isEmpty { parts.append("by \(f.makers.map(\.label).joined(separator: " and "))") }
        var text = parts.joined(separator: " ")
        if let d = f.dateText { text += ", \(d)" }
        text += "."
        if let m = f.medium { text += " Medium: \(m)." }
        if let c = f.classification { text += " Classified as \(c)." }
        if !f.movements.isEmpty { text += " Movement: \(f.movements.map(\.label).joined(separator: ", "))." }
        let subjects = f.subjects.filter { s in !f.themes.contains(s) }.prefix(6).map(\.label)
        if !subjects.isEmpty { text += " It shows: \(subjects.joined(separator: ", "))." }
        if !f.colours.isEmpty { text += " Dominant colours: \(f.colours.prefix(3).joined(separator: ", "))." }
        return text
    }

    private func compare(_ a: ItemFacts, _ b: ItemFacts) -> String {
        var s = "\(MarkdownItalics.italic(a.title)) and \(MarkdownItalics.italic(b.title)): "
        var notes: [String] = []
        if let ya = a.year, let yb = b.year {
            notes.append(ya == yb ? "both date from about \(ya)" : "\(MarkdownItalics.italic(ya < yb ? a.title : b.title)) is older by about \(abs(ya - yb)) years (\(a.dateText ?? "") vs \(b.dateText ?? ""))")
        }
        let ma = Set(a.makers.map(\.id))
        if b.makers.contains(where: { ma.contains($0.id) }) {
            notes.append("both are by \(b.makers.first { ma.contains($0.id) }!.label)")
        } else if !a.makers.isEmpty, !b.makers.isEmpty {
            notes.append("one is by \(a.makers[0].label), the other by \(b.makers[0].label)")
        }
        if let ma = a.medium, let mb = b.medium { notes.append(ma == mb ? "both are \(ma.lowercased())" : "media: \(ma.lowercased()) vs \(mb.lowercased())") }
        let shared = a.subjects.filter { s in b.subjects.contains(s) && !a.themes.contains(s) }.prefix(4).map(\.label)
        if !shared.isEmpty { notes.append("both show \(shared.joined(separator: ", "))") }
        s += notes.joined(separator: "; ") + "."
        return s
    }

    private func replyItem(_ f: ItemFacts, because: [String]) -> ReplyItem {
        ReplyItem(id: f.id, title: f.title, makers: f.makers.map(\.label), date: f.dateText, because: because)
    }

    private func reply(_ state: DialogueState, _ intent: Intent, _ text: String, items: [ReplyItem] = [], log: [String]) -> Reply {
        Reply(conversation: state.id, intent: intent, text: text, items: items, question: nil,
              understood: state.constraints.map(describe) + state.critiques.compactMap { c in
                  catalogue.facts(c.reference).map { "\(Self.critiqueWord(c.critique)) than \(MarkdownItalics.italic($0.title))" } },
              toolCalls: log, tour: nil)
    }
}

/// For each entity (maker, subject with its broader terms, movement, birth place, medium term, dominant colour, item),
/// the catalogue positions of the objects that match it — what ``DialogueEngine`` filters with.
struct EntityPostings: Sendable {
    private var lists: [EntityRef.Kind: [String: [Int32]]] = [:]
    /// Whether any object has image descriptors (colour constraints bind only then).
    let hasColourData: Bool
    /// The largest popularity in the catalogue.
    let maxPopularity: Double
    /// log(1 + popularity) / log(1 + the largest popularity), per position (0 when nothing was viewed).
    let popularityPrior: [Float]

    init(catalogue: DialogueCatalogue) {
        var lists: [EntityRef.Kind: [String: [Int32]]] = [:]
        func add(_ kind: EntityRef.Kind, _ id: String, _ i: Int) {
            let position = Int32(i)
            if lists[kind, default: [:]][id]?.last == position { return }
            lists[kind, default: [:]][id, default: []].append(position)
        }
        var colours = false, maxPop = 0.0
        for f in catalogue.items { maxPop = max(maxPop, f.popularity) }
        popularityPrior = catalogue.items.map { maxPop > 0 ? Float(log1p($0.popularity) / log1p(maxPop)) : 0 }
        for (i, f) in catalogue.items.enumerated() {
            for m in f.makers { add(.maker, m.id, i) }
            for s in f.subjects { add(.subject, s.id, i) }
            for m in f.movements { add(.movement, m.id, i) }
            for p in f.places { add(.place, p.id, i) }
            for t in f.mediumTerms { add(.medium, t, i) }
            for c in f.colours.prefix(2) { add(.colour, c, i) }
            add(.item, f.id.rawValue, i)
            if !f.colours.isEmpty { colours = true }
        }
        self.lists = lists
        hasColourData = colours
        maxPopularity = maxPop
    }

    /// Positions of the objects matching `entity`, ascending.
    func matching(_ entity: EntityRef) -> [Int32] { lists[entity.kind]?[entity.id] ?? [] }
}

/// The best candidates seen so far, at most `limit`: a binary heap with the worst of them at the root.
struct BestCandidates {
    let limit: Int
    private var heap: [DialogueEngine.Candidate] = []

    init(limit: Int) {
        self.limit = max(0, limit)
        heap.reserveCapacity(self.limit)
    }

    /// Whether `a` ranks before `b`: higher score, then lower catalogue position.
    static func better(_ a: DialogueEngine.Candidate, _ b: DialogueEngine.Candidate) -> Bool {
        a.score > b.score || (a.score == b.score && a.index < b.index)
    }

    mutating func offer(_ c: DialogueEngine.Candidate) {
        if heap.count < limit {
            heap.append(c)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.better(heap[parent], heap[i]) else { break }
                heap.swapAt(parent, i)
                i = parent
            }
        } else if limit > 0, Self.better(c, heap[0]) {
            heap[0] = c
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, Self.better(heap[worst], heap[l]) { worst = l }
                if r < heap.count, Self.better(heap[worst], heap[r]) { worst = r }
                if worst == i { break }
                heap.swapAt(i, worst)
                i = worst
            }
        }
    }

    /// The candidates kept, best first.
    func sorted() -> [DialogueEngine.Candidate] { heap.sorted(by: Self.better) }
}
