/// The RDF terms Curio uses to export and import knowledge graphs.
///
/// schema.org and CIDOC-CRM (as profiled by Linked Art) where a term fits, SKOS for concept hierarchies,
/// and Curio's own namespace for what neither covers (decades, centuries, node classes without a standard
/// equivalent, edge provenance). Each relation and each node kind maps to exactly one IRI, so an exported
/// graph reads back unambiguously.
public enum RDFVocabulary {
    public static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    public static let rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    public static let schema = "http://schema.org/"
    public static let crm = "http://www.cidoc-crm.org/cidoc-crm/"
    public static let skos = "http://www.w3.org/2004/02/skos/core#"
    public static let curio = "https://w3id.org/curio/ns#"
    public static let xsd = "http://www.w3.org/2001/XMLSchema#"

    /// Prefixes used in JSON-LD contexts and documentation.
    public static let prefixes: [(prefix: String, iri: String)] = [
        ("rdf", rdf), ("rdfs", rdfs), ("schema", schema), ("crm", crm), ("skos", skos), ("curio", curio),
    ]

    public static let type = rdf + "type"
    public static let label = rdfs + "label"
    public static let statement = rdf + "Statement"
    public static let subject = rdf + "subject"
    public static let predicate = rdf + "predicate"
    public static let object = rdf + "object"
    /// Source field an edge came from, attached to a reified `rdf:Statement` when it differs from the default.
    public static let provenance = curio + "provenance"

    /// The predicate of `relation`.
    public static func predicate(_ relation: Relation) -> String {
        switch relation {
        case .maker: schema + "creator"
        case .relatedMaker: crm + "P15_was_influenced_by"
        case .about: schema + "about"
        case .movement: schema + "genre"
        case .decade: curio + "decade"
        case .century: curio + "century"
        case .medium: schema + "artMedium"
        case .support: schema + "artworkSurface"
        case .classification: crm + "P2_has_type"
        case .agentMovement: schema + "memberOf"
        case .birthPlace: schema + "birthPlace"
        case .deathPlace: schema + "deathPlace"
        case .activePlace: schema + "workLocation"
        case .containedIn: schema + "containedInPlace"
        case .broader: skos + "broader"
        case .era: crm + "P10_falls_within"
        }
    }

    /// The class of nodes of `kind`.
    public static func nodeClass(_ kind: NodeKind) -> String {
        switch kind {
        case .item: schema + "VisualArtwork"
        case .agent: crm + "E39_Actor"
        case .subject: curio + "Subject"
        case .movement: curio + "Movement"
        case .era: crm + "E4_Period"
        case .place: schema + "Place"
        case .decade: curio + "Decade"
        case .century: curio + "Century"
        case .material: crm + "E57_Material"
        case .classification: crm + "E55_Type"
        }
    }

    static let relationByPredicate: [String: Relation] =
        Dictionary(uniqueKeysWithValues: Relation.allCases.map { (predicate($0), $0) })
    static let kindByClass: [String: NodeKind] =
        Dictionary(uniqueKeysWithValues: NodeKind.allCases.map { (nodeClass($0), $0) })

    /// The compact `prefix:local` form of `iri` when a known prefix applies.
    public static func compact(_ iri: String) -> String {
        for (p, ns) in prefixes where iri.hasPrefix(ns) { return p + ":" + iri.dropFirst(ns.count) }
        return iri
    }
}

/// Mints and reads the IRIs of graph nodes: `base` + kind name + `/` + percent-encoded key.
///
/// Keys keep ASCII letters, digits, `-._~:` as they are and percent-encode every other UTF-8 byte,
/// so `tate:artist:38` becomes `https://example.org/id/agent/tate:artist:38` and `oil paint` becomes
/// `…/material/oil%20paint`.
public struct NodeIRIs: Sendable, Hashable {
    public let base: String

    /// - Throws: ``GraphError/badParameter(name:reason:)`` unless `base` is an absolute IRI ending in `/` or `#`
    ///   without characters N-Triples forbids in IRIs.
    public init(base: String) throws {
        guard let colon = base.firstIndex(of: ":"), colon != base.startIndex,
              base[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else {
            throw GraphError.badParameter(name: "base", reason: "'\(base)' is not an absolute IRI (like https://example.org/id/)")
        }
        guard base.hasSuffix("/") || base.hasSuffix("#") else {
            throw GraphError.badParameter(name: "base", reason: "'\(base)' must end with / or #")
        }
        if let bad = base.unicodeScalars.first(where: { $0.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains($0) }) {
            throw GraphError.badParameter(name: "base", reason: "'\(base)' contains a character not allowed in an IRI (U+\(String(bad.value, radix: 16, uppercase: true)))")
        }
        self.base = base
    }

    /// The default base, used when none is configured.
    public static let defaultBase = "https://curio.example/id/"

    /// The IRI of a node of `kind` with `key`.
    public func iri(kind: NodeKind, key: String) -> String {
        base + kind.name + "/" + Self.percentEncode(key)
    }

    /// The kind and key an IRI minted by ``iri(kind:key:)`` stands for, or nil when it is not one.
    public func parse(_ iri: String) -> (kind: NodeKind, key: String)? {
        guard iri.hasPrefix(base) else { return nil }
        let rest = iri.dropFirst(base.count)
        guard let slash = rest.firstIndex(of: "/"), let kind = NodeKind(name: String(rest[..<slash])),
              let key = Self.percentDecode(rest[rest.index(after: slash)...]) else { return nil }
        return (kind, key)
    }

    static func percentEncode(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            let keep = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x3A
            if keep {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func percentDecode(_ s: Substring) -> String? {
        var out = [UInt8]()
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25 {
                guard it.count >= 2, let h = hexValue(it[it.startIndex]), let l = hexValue(it[it.startIndex + 1]) else { return nil }
                out.append(h << 4 | l)
                it = it.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
