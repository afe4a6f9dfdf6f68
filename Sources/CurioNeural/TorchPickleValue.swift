/// Element types of PyTorch storages, named after their legacy storage classes (`torch.FloatStorage`, ...).
public enum TorchDType: String, Sendable, Hashable, CaseIterable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// Whether the type holds floating-point values.
    public var isFloatingPoint: Bool { [.float32, .float64, .float16, .bfloat16].contains(self) }

    /// The dtype of a `torch.<Name>Storage` class, or nil for anything else.
    init?(storageClass name: String) {
        switch name {
        case "FloatStorage": self = .float32
        case "DoubleStorage": self = .float64
        case "HalfStorage": self = .float16
        case "BFloat16Storage": self = .bfloat16
        case "LongStorage": self = .int64
        case "IntStorage": self = .int32
        case "ShortStorage": self = .int16
        case "CharStorage": self = .int8
        case "ByteStorage": self = .uint8
        case "BoolStorage": self = .bool
        default: return nil
        }
    }
}

/// The only Python globals a PyTorch state dict needs. Any other `module.name` in a pickle is refused.
enum PickleGlobal: Equatable, Sendable {
    case orderedDict
    case rebuildTensorV2
    case rebuildParameter
    case storageType(TorchDType)

    /// Resolves `module.name` against the allow-list, or nil when it is not on it.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch", _):
            guard let dtype = TorchDType(storageClass: name) else { return nil }
            self = .storageType(dtype)
        default: return nil
        }
    }

    /// The names the allow-list accepts, for error messages.
    static let allowListDescription =
        "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, torch.<Type>Storage"
}

/// A storage a tensor points into, as named by the pickle's persistent id
/// `('storage', torch.<Type>Storage, key, location, element count)`.
struct TorchStorageReference: Equatable, Sendable {
    let dtype: TorchDType
    let key: String
    let location: String
    let count: Int
}

/// A tensor described by `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`.
struct TorchTensorReference: Equatable, Sendable {
    let storage: TorchStorageReference
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

/// A value built by the restricted unpickler. Containers refer to other values by their index in the
/// `PickleGraph` arena, so there is no recursive ownership: arbitrarily nested or even cyclic pickles cannot
/// overflow the stack when traversed or released.
enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    /// An integer too wide for 64 bits (e.g. the legacy magic number), little-endian two's complement.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([Int])
    /// Index into `PickleGraph.lists`.
    case list(Int)
    /// Index into `PickleGraph.dicts` (plain `dict` and `OrderedDict` alike; insertion order is kept).
    case dict(Int)
    case global(PickleGlobal)
    case storage(TorchStorageReference)
    case tensor(TorchTensorReference)

    /// A short name of the value's kind for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global: "global"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// Everything one pickle produced: the arena of values and the root.
struct PickleGraph: Sendable {
    var values: [PickleValue] = []
    var lists: [[Int]] = []
    var dicts: [[(key: Int, value: Int)]] = []
    var root: Int = 0

    subscript(index: Int) -> PickleValue { values[index] }

    var rootValue: PickleValue { values[root] }

    /// The string at `index`, if it is one.
    func string(_ index: Int) -> String? {
        if case let .string(s) = values[index] { return s }
        return nil
    }

    /// The integer at `index`, if it is one that fits in 64 bits.
    func int(_ index: Int) -> Int64? {
        if case let .int(i) = values[index] { return i }
        return nil
    }

    /// Entries of the dict at `index` whose keys are strings, in insertion order.
    func stringKeyedEntries(ofDict index: Int) -> [(key: String, value: Int)]? {
        guard case let .dict(d) = values[index] else { return nil }
        return dicts[d].compactMap { entry in string(entry.key).map { ($0, entry.value) } }
    }
}
