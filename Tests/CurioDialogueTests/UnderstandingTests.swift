import CurioCore
import Testing
@testable import CurioDialogue

@Suite("Understanding visitors' messages")
struct UnderstandingTests {
    let catalogue = MiniCollection.catalogue()
    var interpreter: MessageInterpreter { MessageInterpreter(linker: EntityLinker(catalogue: catalogue), catalogue: catalogue) }

    private func entities(_ u: Understanding) -> [(String, Bool)] {
        u.constraints.compactMap { c in
            if case let .entity(e) = c.value { return (e.id, c.include) }
            return nil
        }
    }

    @Test("intents", arguments: [
        ("show me stormy seascapes", Intent.find),
        ("why this one?", .explain),
        ("tell me about the second one", .tellMeAbout),
        ("compare the first and the second", .compare),
        ("what should I see in 30 minutes?", .planVisit),
        ("start over", .reset),
        ("hello", .greet),
        ("show me others", .more),
        ("I love this one", .like),
        ("something like this but older", .refine),
    ])
    func intents(message: String, intent: Intent) {
        #expect(interpreter.interpret(message, hasContext: true).intent == intent)
    }

    @Test func turnerAloneIsTheTurnerWithMostWorks() {
        let u = interpreter.interpret("paintings by Turner", hasContext: false)
        let mention = u.mentions.first { $0.entity.kind == .maker }
        #expect(mention?.entity.id == MiniCollection.turner.rawValue)
        #expect(mention?.alternatives.contains { $0.id == MiniCollection.oxford.rawValue } == true)
    }

    @Test func theFullNameWinsOverTheSurname() {
        let u = interpreter.interpret("works by William Turner of Oxford", hasContext: false)
        #expect(entities(u).map(\.0) == [MiniCollection.oxford.rawValue])
    }

    @Test func accentsAndCaseAreIgnored() {
        for text in ["Géricault", "gericault", "GERICAULT", "Théodore Géricault", "theodore gericault"] {
            let u = interpreter.interpret("something by \(text)", hasContext: false)
            #expect(entities(u).map(\.0) == [MiniCollection.gericault.rawValue], "\(text)")
        }
    }

    @Test func partialNamesAndSpellingMistakes() {
        #expect(entities(interpreter.interpret("Rossetti", hasContext: false)).map(\.0) == [MiniCollection.rossetti.rawValue])
        #expect(entities(interpreter.interpret("Rosetti please", hasContext: false)).map(\.0) == [MiniCollection.rossetti.rawValue])
        #expect(entities(interpreter.interpret("Gabriel Rossetti", hasContext: false)).map(\.0) == [MiniCollection.rossetti.rawValue])
        #expect(entities(interpreter.interpret("JMW Turner", hasContext: false)).map(\.0) == [MiniCollection.turner.rawValue])
    }

    @Test func negations() {
        for text in ["no more Turner", "not Turner", "anything except Turner", "nothing by Turner", "sea but not by Turner"] {
            let u = interpreter.interpret(text, hasContext: true)
            #expect(entities(u).contains { $0.0 == MiniCollection.turner.rawValue && !$0.1 }, "\(text)")
        }
        let u = interpreter.interpret("sea and storms without Turner", hasContext: false)
        #expect(entities(u).contains { $0.0 == "s:sea" && $0.1 })
        #expect(entities(u).contains { $0.0 == "s:storm" && $0.1 })
    }

    @Test("critiques", arguments: [
        ("older", Critique.older), ("something like this but older", .older), ("more recent please", .newer),
        ("more colourful", .moreColourful), ("darker", .darker), ("smaller", .smaller), ("less famous", .lessFamous),
        ("a hidden gem", .lessFamous),
    ])
    func critiques(message: String, critique: Critique) {
        #expect(interpreter.interpret(message, hasContext: true).critiques.contains(critique))
    }

    @Test func byAWomanIsAMakerConstraintButPortraitsOfWomenIsASubject() {
        let a = interpreter.interpret("something by a woman", hasContext: false)
        #expect(a.constraints.contains(Constraint(.gender("Female"))))
        let b = interpreter.interpret("portraits of women", hasContext: false)
        #expect(!b.constraints.contains(Constraint(.gender("Female"))))
        #expect(entities(b).map(\.0) == ["s:woman"])
        let c = interpreter.interpret("women artists", hasContext: false)
        #expect(c.constraints.contains(Constraint(.gender("Female"))))
    }

    @Test func periods() {
        func years(_ text: String) -> [Constraint.Value] { interpreter.interpret(text, hasContext: false).constraints.map(\.value) }
        #expect(years("19th century landscapes").contains(.years(from: 1801, to: 1900)))
        #expect(years("from the 1850s").contains(.years(from: 1850, to: 1859)))
        #expect(years("before 1900").contains(.years(from: nil, to: 1899)))
        #expect(years("after 1950").contains(.years(from: 1951, to: nil)))
        #expect(years("between 1800 and 1850").contains(.years(from: 1800, to: 1850)))
        #expect(years("victorian").contains(.years(from: 1837, to: 1901)))
    }

    @Test func references() {
        let u = interpreter.interpret("tell me about the second one", hasContext: true)
        #expect(u.references.contains(.position(2)))
        #expect(interpreter.interpret("why this one", hasContext: true).references.contains(.focus))
        #expect(interpreter.interpret("number 3", hasContext: true).references.contains(.position(3)))
    }

    @Test func minutesForVisits() {
        #expect(interpreter.interpret("what should I see in 30 minutes?", hasContext: false).minutes == 30)
        #expect(interpreter.interpret("I have 2 hours", hasContext: false).minutes == 120)
        #expect(interpreter.interpret("plan a tour for half an hour", hasContext: false).minutes == 30)
    }
}
