import CurioCore

/// The small vocabulary of colour names Curio uses for palettes, filters and explanations.
///
/// Each name has one prototype sRGB value; a colour gets the name whose prototype is nearest by CIEDE2000.
/// The prototypes were picked so that common reference colours land on the expected word (pure #0000FF and
/// royal blue #4169E1 → "blue", #000080 → "navy", #DAA520 → "ochre", #87CEEB → "sky blue", #808080 → "grey").
///
/// | name | prototype | | name | prototype |
/// |---|---|---|---|---|
/// | black | #000000 | | ochre | #C89A3C |
/// | dark grey | #404040 | | yellow | #F2DC40 |
/// | grey | #808080 | | olive | #707030 |
/// | light grey | #C8C8C8 | | green | #30A040 |
/// | white | #FFFFFF | | dark green | #1F4D2B |
/// | red | #D42020 | | teal | #108080 |
/// | dark red | #7A1010 | | turquoise | #40C8C8 |
/// | pink | #F0A0B8 | | sky blue | #88B8E8 |
/// | magenta | #C830B8 | | blue | #2848D0 |
/// | orange | #F08020 | | navy | #141C60 |
/// | brown | #7A4A26 | | purple | #703090 |
/// | beige | #D8C4A0 | | lavender | #B8A0D8 |
public enum ColourName {
    /// The names and their sRGB prototypes, in the order of the table above.
    public static let prototypes: [(name: String, hex: String)] = [
        ("black", "#000000"), ("dark grey", "#404040"), ("grey", "#808080"), ("light grey", "#C8C8C8"),
        ("white", "#FFFFFF"), ("red", "#D42020"), ("dark red", "#7A1010"), ("pink", "#F0A0B8"),
        ("magenta", "#C830B8"), ("orange", "#F08020"), ("brown", "#7A4A26"), ("beige", "#D8C4A0"),
        ("ochre", "#C89A3C"), ("yellow", "#F2DC40"), ("olive", "#707030"), ("green", "#30A040"),
        ("dark green", "#1F4D2B"), ("teal", "#108080"), ("turquoise", "#40C8C8"), ("sky blue", "#88B8E8"),
        ("blue", "#2848D0"), ("navy", "#141C60"), ("purple", "#703090"), ("lavender", "#B8A0D8"),
    ]

    /// Every name Curio can give a colour.
    public static var all: [String] { prototypes.map(\.name) }

    /// The prototypes in CIELAB, converted by libvips once.
    static let prototypeLab: Result<[CIELab], ImagingError> = Result { () throws(ImagingError) -> [CIELab] in
        var pixels: [UInt8] = []
        for (_, hex) in prototypes { pixels += rgb(hex: hex) }
        guard let strip = RGBImage(width: prototypes.count, height: 1, pixels: pixels) else {
            throw .invalidRequest(file: "colour table", reason: "bad prototype table")
        }
        return try strip.labPixels()
    }

    /// The name of the prototype nearest to `colour` (CIEDE2000).
    public static func name(of colour: CIELab) throws(ImagingError) -> String {
        let table = try prototypeLab.get()
        var best = 0, bestDistance = Double.infinity
        for (i, prototype) in table.enumerated() {
            let d = colour.difference2000(to: prototype)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return prototypes[best].name
    }

    static func rgb(hex: String) -> [UInt8] {
        let digits = Array(hex.dropFirst())
        return stride(from: 0, to: 6, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16) ?? 0 }
    }

    static func hex(red: UInt8, green: UInt8, blue: UInt8) -> String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
    }
}
