import CurioNeural
import CurioStore
import Foundation

/// A model that turns inputs into stored item vectors under a model id (the text and the image encoder).
protocol ItemVectorEncoder: Sendable {
    var modelID: String { get }
}

extension TextEncoder: ItemVectorEncoder {}
extension ImageEncoder: ItemVectorEncoder {}

/// A lazily loaded encoder and the in-memory index of the vectors it stored, shared by every call of one `Curio`.
final class EncoderCache<Encoder: ItemVectorEncoder>: @unchecked Sendable {
    private let lock = NSLock()
    private var encoder: Encoder?
    private var index: SemanticIndex?
    /// The model id used before an encoder is loaded or injected (the installed model's).
    private let defaultModelID: String

    init(defaultModelID: String) {
        self.defaultModelID = defaultModelID
    }

    /// The encoder, loaded with `load` on first use.
    func encoder(load: () throws -> Encoder) throws -> Encoder {
        lock.lock()
        defer { lock.unlock() }
        if let encoder { return encoder }
        let loaded = try load()
        encoder = loaded
        return loaded
    }

    /// Uses `encoder` from now on (tests, or an application that loaded the model itself).
    func set(_ encoder: Encoder) {
        lock.lock()
        self.encoder = encoder
        lock.unlock()
    }

    /// The model id of the encoder in use, without loading it: an injected encoder's, else the installed model's.
    var modelID: String {
        lock.lock()
        defer { lock.unlock() }
        return encoder?.modelID ?? defaultModelID
    }

    /// The cached index of stored vectors when it is still at `revision`, else a freshly loaded one.
    func index(model: String, revision: Int, load: () throws -> ItemVectorSet) throws -> SemanticIndex {
        lock.lock()
        defer { lock.unlock() }
        if let index, index.model == model, index.revision == revision { return index }
        let fresh = SemanticIndex(set: try load())
        index = fresh
        return fresh
    }
}
