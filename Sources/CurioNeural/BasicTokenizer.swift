import Foundation

/// BERT's text normaliser and pre-tokeniser: turns raw text into words ready for WordPiece.
///
/// Steps, in the order the reference (`tokenizers` `BertNormalizer` + `BertPreTokenizer`) applies them:
/// 1. clean: drop U+0000, U+FFFD and characters of categories Cc, Cf, Co (tab, newline and carriage return are
///    kept as whitespace); map every White_Space character to a space;
/// 2. surround each CJK ideograph with spaces, so it becomes a word of its own;
/// 3. strip accents: NFD decomposition, then drop non-spacing marks (category Mn);
/// 4. lower-case each Unicode scalar (full case mapping, no context);
/// 5. split on whitespace, and make every punctuation character (ASCII 33–47, 58–64, 91–96, 123–126 and the
///    Unicode P* categories) a word of its own.
public struct BasicTokenizer: Sendable {
    /// The settings in force.
    public let configuration: BertTokenizerConfiguration

    /// A tokeniser with these settings.
    public init(configuration: BertTokenizerConfiguration = BertTokenizerConfiguration()) {
        self.configuration = configuration
    }

    /// The words of `text`, each as its Unicode scalars.
    public func words(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in normalize(text).unicodeScalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The normalised text (steps 1–4), before splitting into words.
    public func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        var isASCII = true
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                // ASCII fast path: controls other than tab/newline/CR vanish, those three become spaces.
                if v == 0x09 || v == 0x0A || v == 0x0D || v == 0x20 {
                    cleaned.append(" ")
                } else if v < 0x20 || v == 0x7F {
                    if !configuration.cleanText { cleaned.append(scalar) }
                } else {
                    cleaned.append(scalar)
                }
                continue
            }
            isASCII = false
            if configuration.cleanText {
                if v == 0xFFFD || Self.isControl(scalar) { continue }
                if scalar.properties.isWhitespace { cleaned.append(" "); continue }
            }
            if configuration.handleChineseCharacters && Self.isChineseCharacter(v) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        if isASCII {
            guard configuration.lowercase else { return String(cleaned) }
            var lowered = String.UnicodeScalarView()
            for scalar in cleaned {
                let v = scalar.value
                lowered.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 0x20)! : scalar)
            }
            return String(lowered)
        }
        var text = String(cleaned)
        if configuration.stripAccents {
            var stripped = String.UnicodeScalarView()
            for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                stripped.append(scalar)
            }
            text = String(stripped)
        }
        if configuration.lowercase {
            var lowered = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if scalar.value < 0x80 {
                    let v = scalar.value
                    lowered.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 0x20)! : scalar)
                } else if scalar.properties.changesWhenLowercased {
                    lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    lowered.append(scalar)
                }
            }
            text = String(lowered)
        }
        return text
    }

    /// Control characters as BERT cleans them: categories Cc, Cf and Co, except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0: return true
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// BERT's punctuation: all non-alphanumeric printable ASCII plus Unicode punctuation categories.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        if v < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// CJK Unified Ideographs and their extensions and compatibility blocks, as the reference tokenizer lists them.
    static func isChineseCharacter(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B920...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
