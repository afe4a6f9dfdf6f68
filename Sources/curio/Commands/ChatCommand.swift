import CurioCore
import CurioDialogue
import CurioKit
import CurioServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `curio chat`: talk to the conversational guide in the terminal, one reply per line read.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "chat",
        abstract: "Talk to the conversational guide: one reply per line read from stdin.",
        discussion: """
            Works interactively and with piped input (`echo "stormy seas" | curio chat`). Lines starting with \
            /item ID give a work as the query ("/item N01710 like this but older"), /image PATH a photo; /quit ends. \
            With --json, every reply is one JSON object on one line (the form of POST /v1/conversations/{id}/messages). \
            The conversation is kept in the database; continue it later with --conversation ID. With CURIO_LLM_URL and \
            CURIO_LLM_MODEL set, a language model phrases the answers, each checked against the collection.
            """,
        examples: ["curio chat", "printf 'stormy seas\\nolder\\nwhy the first?\\n' | curio chat --json"])

    @Option(valueName: "id", help: "Continue a kept conversation.")
    var conversation: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let guide = GuideService(curio: curio, visits: VisitService(curio: curio), environment: context.environment)
        let interactive = isatty(STDIN_FILENO) == 1
        let console = context.console
        let id: String
        if let conversation {
            id = try guide.conversation(conversation).id
        } else {
            id = try guide.startConversation().id
        }
        if interactive && !global.json {
            console.out(ConversationDTO.greeting + "\n(conversation \(id); /quit to end)\n")
        } else if !global.quiet {
            console.err("curio: conversation \(id)\n")
        }
        _ = try guide.engine()   // build the catalogue before the first prompt
        while true {
            if interactive && !global.json { console.out("> ") }
            guard let raw = readLine(strippingNewline: true) else { break }
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if ["/quit", "/exit", "quit", "exit", "bye", "goodbye"].contains(line.lowercased()) { break }
            var text = line, item: ItemID?, image: String?
            if line.hasPrefix("/item ") || line.hasPrefix("/image ") {
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                if parts.count >= 2 {
                    if parts[0] == "/item" { item = ItemID(parts[1]) } else { image = parts[1] }
                    text = parts.count > 2 ? parts[2] : ""
                }
            }
            do {
                let reply = try guide.reply(to: text, item: item, image: image, in: id)
                let dto = ReplyDTO(reply)
                if global.json {
                    console.out(String(decoding: try APIJSON.encoder.encode(dto), as: UTF8.self) + "\n")
                } else {
                    console.out(Self.render(dto))
                }
            } catch {
                if global.json {
                    let problem = ["error": "\(error)", "conversation": id]
                    console.out(String(decoding: try APIJSON.encoder.encode(problem), as: UTF8.self) + "\n")
                } else {
                    console.err("curio: \(error)\n")
                }
            }
        }
        return .success
    }

    /// A reply as text: what the guide says (italics markers removed), then why each work is offered.
    static func render(_ reply: ReplyDTO) -> String {
        var out = reply.text.replacingOccurrences(of: "*", with: "") + "\n"
        if reply.question == nil, reply.tour == nil, reply.intent != "tell_me_about", reply.intent != "compare" {
            for (n, item) in reply.items.enumerated() where !item.because.isEmpty {
                out += "   \(n + 1). [\(item.id)] " + item.because.joined(separator: " ").replacingOccurrences(of: "*", with: "") + "\n"
            }
        }
        return out + "\n"
    }
}
