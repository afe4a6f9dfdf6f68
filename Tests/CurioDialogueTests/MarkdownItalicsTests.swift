import CurioCore
import Testing
@testable import CurioDialogue

/// Titles are set in italics; a catalogue title with its own asterisk must neither break the reply nor be taken for
/// an invented title by the grounding checks (Tate has "Lecture Diagram 40*: Perspective Method for a Circle").
@Suite struct MarkdownItalicsTests {
    static let starred = "Lecture Diagram 40*: Perspective Method for a Circle"

    @Test func asterisksInsideATitleAreEscapedAndReadBack() {
        let text = "1. " + MarkdownItalics.italic(Self.starred) + " by Turner\n2. " + MarkdownItalics.italic("Whitby")
        #expect(text.contains(#"*Lecture Diagram 40\*: Perspective Method for a Circle*"#))
        #expect(MarkdownItalics.spans(in: text) == [Self.starred, "Whitby"])
        #expect(MarkdownItalics.spans(in: "no italics here") == [])
    }

    @Test func theAuditAcceptsAStarredTitleButNotAnInventedOne() {
        var items = MiniCollection.items
        items.append(MiniCollection.item("N00013", Self.starred, MiniCollection.turner, 1810, subjects: ["s:sea"]))
        let catalogue = DialogueCatalogue(items: items, agents: MiniCollection.agents, concepts: MiniCollection.concepts,
                                          popularity: [:])
        let audit = OfflineGroundingAudit(catalogue: catalogue)
        func reply(_ text: String) -> Reply {
            Reply(conversation: "c", intent: .find, text: text, items: [], question: nil, understood: [], toolCalls: [], tour: nil)
        }
        #expect(audit.problems(in: reply("Here: " + MarkdownItalics.italic(Self.starred))).isEmpty)
        #expect(audit.problems(in: reply("Here: " + MarkdownItalics.italic("The Sinking of the Invented"))) == ["unknown title *The Sinking of the Invented*"])
    }
}
