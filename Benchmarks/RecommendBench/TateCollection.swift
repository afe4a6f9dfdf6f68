import CurioCompression
import CurioCore
import Foundation

/// A minimal reader of the Tate collection dump for the benchmark (makers, subjects with their hierarchy,
/// movements, dates, medium). The product's importer lives in CurioIngest; this keeps the benchmark independent
/// of it.
struct TateCollection {
    var items: [Item] = []
    var concepts: [Concept] = []
    var agents: [Agent] = []

    static func load(directory: URL) throws -> TateCollection {
        var collection = TateCollection()
        var concepts: [ConceptID: Concept] = [:]
        var agentMovements: [AgentID: [ConceptID]] = [:]
        let artists = directory.appendingPathComponent("artists.jsonl.gz").path
        try LineReader(path: artists).forEachLine { _, line in
            guard let line, let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = object["id"] as? Int else { return }
            let agentID = AgentID("tate:artist:\(id)")
            var movements: [ConceptID] = []
            for m in object["movements"] as? [[String: Any]] ?? [] {
                guard let mid = m["id"] as? Int, let name = m["name"] as? String else { continue }
                let cid = ConceptID("tate:movement:\(mid)")
                concepts[cid] = Concept(id: cid, scheme: .movement, label: name)
                movements.append(cid)
            }
            agentMovements[agentID] = movements
            collection.agents.append(Agent(id: agentID, name: object["fc"] as? String ?? "", movements: movements))
        }
        let artworks = directory.appendingPathComponent("artworks.jsonl.gz").path
        try LineReader(path: artworks).forEachLine { _, line in
            guard let line, let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let acno = object["acno"] as? String else { return }
            var makers: [MakerCredit] = []
            for c in object["contributors"] as? [[String: Any]] ?? [] {
                guard let id = c["id"] as? Int else { continue }
                makers.append(MakerCredit(agent: AgentID("tate:artist:\(id)"), name: c["fc"] as? String ?? "",
                                          role: c["role"] as? String ?? "artist"))
            }
            var subjects: [ConceptID] = []
            func walk(_ node: [String: Any], parent: ConceptID?, level: Int) {
                guard let id = node["id"] as? Int, let name = node["name"] as? String else { return }
                let cid = ConceptID("tate:subject:\(id)")
                let children = node["children"] as? [[String: Any]] ?? []
                if id != 1 {
                    if concepts[cid] == nil {
                        concepts[cid] = Concept(id: cid, scheme: .subject, label: name, broader: parent, level: level)
                    }
                    if children.isEmpty { subjects.append(cid) }
                }
                for child in children { walk(child, parent: id == 1 ? nil : cid, level: id == 1 ? 0 : level + 1) }
            }
            if let tree = object["subjects"] as? [String: Any] { walk(tree, parent: nil, level: -1) }
            var movements: [ConceptID] = []
            for m in object["movements"] as? [[String: Any]] ?? [] {
                guard let mid = m["id"] as? Int, let name = m["name"] as? String else { continue }
                let cid = ConceptID("tate:movement:\(mid)")
                concepts[cid] = Concept(id: cid, scheme: .movement, label: name)
                movements.append(cid)
            }
            let date = (object["dateText"] as? String).flatMap(DateParser.parse)
            collection.items.append(Item(id: ItemID(acno), source: "tate", title: object["title"] as? String ?? acno,
                                         makers: makers, date: date, medium: object["medium"] as? String,
                                         classification: object["classification"] as? String,
                                         subjects: subjects, movements: movements))
        }
        collection.concepts = concepts.values.sorted { $0.id < $1.id }
        _ = agentMovements
        return collection
    }
}
