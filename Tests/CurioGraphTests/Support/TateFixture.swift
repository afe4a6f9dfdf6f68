import CurioCompression
import CurioCore
import Foundation

/// Test-side reader of the Tate collection dump in `shared/data/tate` into Core records.
///
/// Ids follow the agreed conventions: items by accession number, agents `tate:artist:N`, subjects
/// `tate:subject:N`, movements `tate:movement:N`, eras `tate:era:N`. Subjects come from the trees embedded in
/// each artwork (level 0 → level 1 → level 2); items reference their level-2 terms.
struct TateCollection: Sendable {
    var items: [Item] = []
    var agents: [Agent] = []
    var concepts: [Concept] = []

    /// `shared/data/tate` beside the repository, located from this file's path.
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/tate")
    }

    /// The full collection, read once per test process.
    static let shared: TateCollection? = try? TateCollection.load(directory: directory)

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static func load(directory: URL, limit: Int = .max) throws -> TateCollection {
        var out = TateCollection()
        var concepts: [ConceptID: Concept] = [:]
        var conceptOrder: [ConceptID] = []
        func addConcept(_ c: Concept) {
            if concepts[c.id] == nil { conceptOrder.append(c.id) }
            concepts[c.id] = c
        }
        func movementConcept(_ m: [String: Any]) -> ConceptID? {
            guard let id = m["id"] as? Int, let name = m["name"] as? String else { return nil }
            var broader: ConceptID?
            if let era = m["era"] as? [String: Any], let eid = era["id"] as? Int, let ename = era["name"] as? String {
                broader = ConceptID("tate:era:\(eid)")
                addConcept(Concept(id: broader!, scheme: .era, label: ename, sourceURI: "tate:era:\(eid)"))
            }
            let cid = ConceptID("tate:movement:\(id)")
            addConcept(Concept(id: cid, scheme: .movement, label: name, broader: broader, level: 1,
                               sourceURI: "tate:movement:\(id)"))
            return cid
        }

        let artworks = directory.appendingPathComponent("artworks.jsonl.gz").path
        var count = 0
        try LineReader(path: artworks).forEachLine { line, bytes in
            guard count < limit, let bytes else { return }
            let data = Data(bytes)
            guard let d = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let acno = d["acno"] as? String, let title = d["title"] as? String else {
                throw LoadError(description: "\(artworks):\(line): not a Tate artwork record")
            }
            count += 1
            var makers: [MakerCredit] = []
            for c in d["contributors"] as? [[String: Any]] ?? [] {
                guard let id = c["id"] as? Int else { continue }
                makers.append(MakerCredit(agent: AgentID("tate:artist:\(id)"), name: c["fc"] as? String ?? "",
                                          role: c["role"] as? String ?? "artist"))
            }
            var subjects: [ConceptID] = []
            if let root = d["subjects"] as? [String: Any] {
                for c0 in root["children"] as? [[String: Any]] ?? [] {
                    guard let id0 = c0["id"] as? Int else { continue }
                    let s0 = ConceptID("tate:subject:\(id0)")
                    addConcept(Concept(id: s0, scheme: .subject, label: c0["name"] as? String ?? "", level: 0,
                                       sourceURI: "tate:subject:\(id0)"))
                    for c1 in c0["children"] as? [[String: Any]] ?? [] {
                        guard let id1 = c1["id"] as? Int else { continue }
                        let s1 = ConceptID("tate:subject:\(id1)")
                        addConcept(Concept(id: s1, scheme: .subject, label: c1["name"] as? String ?? "", broader: s0,
                                           level: 1, sourceURI: "tate:subject:\(id1)"))
                        for c2 in c1["children"] as? [[String: Any]] ?? [] {
                            guard let id2 = c2["id"] as? Int else { continue }
                            let s2 = ConceptID("tate:subject:\(id2)")
                            addConcept(Concept(id: s2, scheme: .subject, label: c2["name"] as? String ?? "",
                                               broader: s1, level: 2, sourceURI: "tate:subject:\(id2)"))
                            subjects.append(s2)
                        }
                    }
                }
            }
            let movements = (d["movements"] as? [[String: Any]] ?? []).compactMap(movementConcept)
            let dateText = d["dateText"] as? String
            out.items.append(Item(
                id: ItemID(acno), source: "tate", title: title, makers: makers,
                date: dateText.flatMap(DateParser.parse), medium: d["medium"] as? String,
                classification: d["classification"] as? String, dimensions: d["dimensions"] as? String,
                subjects: subjects, movements: movements, creditLine: d["creditLine"] as? String,
                acquisitionYear: d["acquisitionYear"] as? Int, url: d["url"] as? String))
        }

        func place(_ p: [String: Any]?) -> Place? {
            guard let p, let name = p["name"] as? String else { return nil }
            let parts = name.components(separatedBy: ", ")
            return Place(name: name, placeName: p["placeName"] as? String ?? parts[0],
                         placeType: p["placeType"] as? String, country: parts.count > 1 ? parts.last : nil)
        }
        let artists = directory.appendingPathComponent("artists.jsonl.gz").path
        try LineReader(path: artists).forEachLine { line, bytes in
            guard let bytes else { return }
            guard let d = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
                  let id = d["id"] as? Int, let name = d["fc"] as? String else {
                throw LoadError(description: "\(artists):\(line): not a Tate artist record")
            }
            let birth = d["birth"] as? [String: Any], death = d["death"] as? [String: Any]
            out.agents.append(Agent(
                id: AgentID("tate:artist:\(id)"), name: name, sortName: d["mda"] as? String,
                gender: d["gender"] as? String, birthYear: d["birthYear"] as? Int,
                deathYear: (death?["time"] as? [String: Any])?["startYear"] as? Int,
                birthPlace: place(birth?["place"] as? [String: Any]), deathPlace: place(death?["place"] as? [String: Any]),
                activePlaces: (d["activePlaces"] as? [[String: Any]] ?? []).compactMap { place($0) },
                movements: (d["movements"] as? [[String: Any]] ?? []).compactMap(movementConcept),
                url: d["url"] as? String))
        }
        out.concepts = conceptOrder.compactMap { concepts[$0] }
        return out
    }
}
