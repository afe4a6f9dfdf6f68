import Foundation

/// The Getty AAT terms the Linked Art profile uses to say what a name, identifier, statement or dimension is,
/// and the compact ids Curio gives to well-known vocabulary URIs.
///
/// Where the profile changed a term between versions, both the current and the older term are accepted
/// (for example descriptions are `aat:300435416` now and were `aat:300080091` before).
public enum LinkedArtVocabulary {
    /// Primary name or title (`aat:300404670`).
    public static let primaryName = "300404670"
    /// Accession number (`aat:300312355`).
    public static let accessionNumber = "300312355"
    /// "Artwork" (`aat:300133025`): marks the object as a work of art; not a useful classification on its own.
    public static let artwork = "300133025"
    /// Type of work (`aat:300435443`): the meta-type marking an object's main classification.
    public static let typeOfWork = "300435443"
    /// Style (`aat:300015646`): the meta-type marking a classification as a style or movement.
    public static let style = "300015646"
    /// Shape (`aat:300056273`): the meta-type marking a classification as a shape.
    public static let shape = "300056273"
    /// Web page (`aat:300264578`).
    public static let webPage = "300264578"

    /// Description statements (`aat:300435416`, older `300080091`, and `300411780`).
    public static let description: Set<String> = ["300435416", "300080091", "300411780"]
    /// Credit line statements (`aat:300026687`, also `300435418`).
    public static let creditLine: Set<String> = ["300026687", "300435418"]
    /// Dimension statements (`aat:300435430`, older `300266036`).
    public static let dimensionStatement: Set<String> = ["300435430", "300266036"]
    /// Material statements (`aat:300435429`, older `300010358`).
    public static let materialStatement: Set<String> = ["300435429", "300010358"]
    /// Rights statements (`aat:300435434` copyright/licence statement, older `300055547` legal concepts).
    public static let rightsStatement: Set<String> = ["300435434", "300055547"]

    /// Height (`aat:300055644`).
    public static let height = "300055644"
    /// Width (`aat:300055647`).
    public static let width = "300055647"
    /// Depth and thickness (`aat:300072633`, `aat:300055646`).
    public static let depth: Set<String> = ["300072633", "300055646"]

    /// Millimetres per unit, by AAT id (mm, cm, m, inches, feet).
    public static let unitMillimetres: [String: Double] = [
        "300379097": 1, "300379098": 10, "300379099": 1000, "300379100": 25.4, "300379101": 304.8,
    ]

    /// BCP 47 tags for AAT language terms, for titles in several languages.
    public static let languageTags: [String: String] = [
        "300388277": "en", "300388306": "fr", "300388344": "de", "300389311": "es", "300388256": "nl",
        "300388474": "it", "300389115": "pt", "300388486": "ja", "300388113": "zh", "300389168": "ru",
        "300388693": "la", "300387843": "ar", "300389336": "sv", "300388204": "da", "300388992": "no",
        "300389109": "pl", "300388191": "cs", "300388770": "hu", "300388361": "el", "300389734": "el",
        "300388401": "he", "300389470": "tr", "300388185": "hr", "300389290": "sk", "300389291": "sl",
        "300389157": "ro", "300388412": "hi", "300387971": "bn", "300388343": "ka",
    ]

    /// The AAT number in an AAT URI or compact id (`http://vocab.getty.edu/aat/300033618`, `aat:300033618`),
    /// or nil for other ids.
    public static func aatNumber(_ id: String) -> String? {
        for prefix in ["http://vocab.getty.edu/aat/", "https://vocab.getty.edu/aat/"] where id.hasPrefix(prefix) {
            let rest = id.dropFirst(prefix.count)
            if !rest.isEmpty, rest.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return String(rest) }
        }
        let c = compact(id)
        guard c.hasPrefix("aat:") else { return nil }
        return String(c.dropFirst(4))
    }

    /// A compact id for URIs of well-known vocabularies, otherwise the URI itself:
    /// Getty (`aat:300033618`, `ulan:500115588`, `tgn:7008038`), Wikidata (`wikidata:Q42`),
    /// Iconclass (`iconclass:25F23`) and VIAF (`viaf:96994048`).
    public static func compact(_ uri: String) -> String {
        let s = uri.importTrimmed
        for prefix in ["aat:", "ulan:", "tgn:", "wikidata:", "iconclass:", "viaf:"] where s.hasPrefix(prefix) {
            return s
        }
        var rest = Substring(s)
        for scheme in ["https://", "http://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            break
        }
        guard rest.count < s.count else { return s }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let host = parts.first?.lowercased() else { return s }
        let path = Array(parts.dropFirst())
        func last() -> String? {
            guard var l = path.last, !l.isEmpty else { return nil }
            if let dot = l.firstIndex(of: "."), ["json", "jsonld", "html"].contains(l[l.index(after: dot)...]) {
                l = String(l[..<dot])
            }
            return l
        }
        switch host {
        case "vocab.getty.edu":
            let p = path.first == "page" ? Array(path.dropFirst()) : path
            if p.count == 2, ["aat", "ulan", "tgn"].contains(p[0]), let id = last(), id.allSatisfy(\.isNumber) {
                return "\(p[0]):\(id)"
            }
        case "www.wikidata.org", "wikidata.org":
            if path.count == 2, ["entity", "wiki"].contains(path[0]), let id = last(), id.hasPrefix("Q") {
                return "wikidata:\(id)"
            }
        case "iconclass.org":
            if path.count == 1, let id = path.first?.removingPercentEncoding { return "iconclass:\(id)" }
        case "viaf.org":
            if path.count == 2, path[0] == "viaf", let id = last() { return "viaf:\(id)" }
        default:
            break
        }
        return s
    }
}
