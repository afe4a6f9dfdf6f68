/// A restricted, non-executing reader for the Python pickles inside PyTorch checkpoints.
///
/// Python's own unpickler can call any importable function, so loading an untrusted `.pth` with it can run
/// arbitrary code. This one never executes anything: it interprets only the opcodes a state dict uses
/// (protocols 2–5), resolves `GLOBAL`s against a four-entry allow-list (`PickleGlobal`), and "calls" those by
/// building plain Swift descriptions (a dict, a tensor reference). Every other opcode, every other global, and
/// any `REDUCE`/`BUILD` on something that is not an allowed callable or a dict is refused with
/// `NeuralError.badWeights` naming the file, the byte offset and what was refused.
///
/// Resource use is bounded by the input: each opcode creates at most one value, lengths are checked against the
/// bytes that remain before anything is allocated, and values live in a flat arena (see `PickleValue`).
struct Unpickler {
    private let bytes: UnsafeRawBufferPointer
    private let file: String
    private var position: Int
    private var graph = PickleGraph()
    private var stack: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: Int] = [:]
    /// Offset of the opcode being executed, for error messages.
    private var opcodeOffset = 0

    /// Reads one pickle starting at `offset` of `bytes`; `file` names the source in errors.
    init(bytes: UnsafeRawBufferPointer, offset: Int = 0, file: String) {
        self.bytes = bytes
        self.file = file
        self.position = offset
    }

    /// Where the next pickle would start once `load()` has returned.
    var endOffset: Int { position }

    /// Interprets opcodes up to `STOP` and returns the values built.
    /// - Throws: `NeuralError.badWeights` on truncation, malformed data, or anything outside the allow-list.
    mutating func load() throws -> PickleGraph {
        while true {
            opcodeOffset = position
            let opcode = try readByte()
            switch opcode {
            case 0x80: // PROTO
                let version = try readByte()
                guard version >= 2 && version <= 5 else { throw failure("pickle protocol \(version) is not supported (2–5 are)") }
            case 0x95: // FRAME (protocol 4+): a length hint only
                _ = try readInteger(byteCount: 8)
            case 0x2E: // STOP
                guard let top = stack.last, marks.isEmpty else { throw failure("STOP with an unbalanced stack") }
                graph.root = top
                return graph

            // Markers and containers.
            case 0x28: // MARK
                marks.append(stack.count)
            case 0x29: // EMPTY_TUPLE
                push(.tuple([]))
            case 0x74: // TUPLE
                push(.tuple(try popToMark()))
            case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
                let n = Int(opcode - 0x84)
                push(.tuple(try pop(n)))
            case 0x5D: // EMPTY_LIST
                graph.lists.append([])
                push(.list(graph.lists.count - 1))
            case 0x61: // APPEND
                let item = try pop(1)[0]
                try graph.lists[listIndex(try peek())].append(item)
            case 0x65: // APPENDS
                let items = try popToMark()
                try graph.lists[listIndex(try peek())].append(contentsOf: items)
            case 0x7D: // EMPTY_DICT
                graph.dicts.append([])
                push(.dict(graph.dicts.count - 1))
            case 0x73: // SETITEM
                let pair = try pop(2)
                try graph.dicts[dictIndex(try peek())].append((pair[0], pair[1]))
            case 0x75: // SETITEMS
                let items = try popToMark()
                guard items.count % 2 == 0 else { throw failure("SETITEMS with an odd number of items") }
                let d = try dictIndex(try peek())
                for i in stride(from: 0, to: items.count, by: 2) { graph.dicts[d].append((items[i], items[i + 1])) }

            // Memo.
            case 0x71: // BINPUT
                try memoize(at: Int(try readByte()))
            case 0x72: // LONG_BINPUT
                try memoize(at: Int(try readInteger(byteCount: 4)))
            case 0x94: // MEMOIZE
                try memoize(at: memo.count)
            case 0x68: // BINGET
                try recall(Int(try readByte()))
            case 0x6A: // LONG_BINGET
                try recall(Int(try readInteger(byteCount: 4)))

            // Scalars.
            case 0x4E: push(.none) // NONE
            case 0x88: push(.bool(true)) // NEWTRUE
            case 0x89: push(.bool(false)) // NEWFALSE
            case 0x4B: push(.int(Int64(try readByte()))) // BININT1
            case 0x4D: push(.int(Int64(try readInteger(byteCount: 2)))) // BININT2
            case 0x4A: push(.int(Int64(Int32(truncatingIfNeeded: try readInteger(byteCount: 4))))) // BININT
            case 0x8A: // LONG1
                push(try long(byteCount: Int(try readByte())))
            case 0x8B: // LONG4
                let n = Int(try readInteger(byteCount: 4))
                guard n <= 64 else { throw failure("LONG4 integer of \(n) bytes is implausibly large") }
                push(try long(byteCount: n))
            case 0x47: // BINFLOAT (big-endian IEEE double)
                let raw = try readBytes(8)
                push(.float(Double(bitPattern: raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x58: push(.string(try utf8(try readBytes(Int(try readInteger(byteCount: 4)))))) // BINUNICODE
            case 0x8C: push(.string(try utf8(try readBytes(Int(try readByte()))))) // SHORT_BINUNICODE
            case 0x8D: push(.string(try utf8(try readBytes(try length64())))) // BINUNICODE8
            case 0x42: push(.bytes(try readBytes(Int(try readInteger(byteCount: 4))))) // BINBYTES
            case 0x43: push(.bytes(try readBytes(Int(try readByte())))) // SHORT_BINBYTES
            case 0x8E: push(.bytes(try readBytes(try length64()))) // BINBYTES8

            // Globals and calls: allow-listed only, never executed.
            case 0x63: // GLOBAL "module\nname\n"
                let module = try readLine(), name = try readLine()
                push(.global(try resolve(module: module, name: name)))
            case 0x93: // STACK_GLOBAL
                let parts = try pop(2)
                guard let module = graph.string(parts[0]), let name = graph.string(parts[1]) else {
                    throw failure("STACK_GLOBAL needs two strings")
                }
                push(.global(try resolve(module: module, name: name)))
            case 0x52: // REDUCE
                let parts = try pop(2)
                push(try reduce(callable: parts[0], arguments: parts[1]))
            case 0x62: // BUILD: only OrderedDict's `__dict__` state (e.g. `_metadata`), which carries no weights.
                let state = try pop(1)[0]
                guard case .dict = graph[try peek()] else {
                    throw failure("BUILD on a \(graph[try peek()].kind); only dicts may receive state")
                }
                switch graph[state] {
                case .dict, .none, .tuple: break
                default: throw failure("BUILD with \(graph[state].kind) state")
                }
            case 0x51: // BINPERSID: a storage reference
                let pid = try pop(1)[0]
                push(try persistentLoad(pid))

            default:
                throw failure(Self.describe(opcode: opcode) + " is not allowed in a PyTorch state dict")
            }
        }
    }

    // MARK: - Calls

    private func resolve(module: String, name: String) throws -> PickleGlobal {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw failure("refused global \(module).\(name): a PyTorch state dict only needs "
                + PickleGlobal.allowListDescription + "; this checkpoint may try to run code")
        }
        return global
    }

    private mutating func reduce(callable: Int, arguments: Int) throws -> PickleValue {
        guard case let .global(global) = graph[callable] else {
            throw failure("REDUCE on a \(graph[callable].kind), which is not an allowed callable")
        }
        guard case let .tuple(args) = graph[arguments] else { throw failure("REDUCE arguments are not a tuple") }
        switch global {
        case .orderedDict:
            guard args.isEmpty else { throw failure("OrderedDict called with arguments") }
            graph.dicts.append([])
            return .dict(graph.dicts.count - 1)
        case .rebuildParameter:
            guard args.count == 3, case .tensor = graph[args[0]] else {
                throw failure("_rebuild_parameter expects (tensor, requires_grad, hooks)")
            }
            return graph[args[0]]
        case .rebuildTensorV2:
            guard args.count == 6 || args.count == 7 else {
                throw failure("_rebuild_tensor_v2 expects 6 or 7 arguments, got \(args.count)")
            }
            guard case let .storage(storage) = graph[args[0]] else {
                throw failure("_rebuild_tensor_v2: first argument is a \(graph[args[0]].kind), not a storage")
            }
            guard let offset = graph.int(args[1]), offset >= 0 else {
                throw failure("_rebuild_tensor_v2: bad storage offset")
            }
            let shape = try intTuple(args[2], what: "size"), strides = try intTuple(args[3], what: "stride")
            guard shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
                throw failure("_rebuild_tensor_v2: size \(shape) and stride \(strides) do not match")
            }
            // The highest element the view touches must lie inside the storage.
            if !shape.contains(0) {
                var last = Int(offset)
                for (n, s) in zip(shape, strides) {
                    let (span, o1) = (n - 1).multipliedReportingOverflow(by: s)
                    let (sum, o2) = last.addingReportingOverflow(span)
                    guard !o1, !o2 else { throw failure("_rebuild_tensor_v2: tensor extent overflows") }
                    last = sum
                }
                guard last < storage.count else {
                    throw failure("tensor of size \(shape) at offset \(offset) runs past its storage of \(storage.count) elements")
                }
            }
            return .tensor(TorchTensorReference(storage: storage, offset: Int(offset), shape: shape, strides: strides))
        case .storageType:
            throw failure("a storage class is not callable in a state dict")
        }
    }

    /// `('storage', torch.<Type>Storage, key, location, numel[, view_metadata=None])`.
    private func persistentLoad(_ pid: Int) throws -> PickleValue {
        guard case let .tuple(parts) = graph[pid], parts.count == 5 || parts.count == 6,
              graph.string(parts[0]) == "storage" else {
            throw failure("persistent id is not a ('storage', type, key, location, size) tuple")
        }
        guard case let .global(.storageType(dtype)) = graph[parts[1]] else {
            throw failure("persistent id names a \(graph[parts[1]].kind), not a torch storage class")
        }
        guard let key = graph.string(parts[2]), let location = graph.string(parts[3]),
              let count = graph.int(parts[4]), count >= 0 else {
            throw failure("persistent id has a bad key, location or size")
        }
        if parts.count == 6, case .none = graph[parts[5]] {} else if parts.count == 6 {
            throw failure("storage views (legacy view metadata) are not supported")
        }
        return .storage(TorchStorageReference(dtype: dtype, key: key, location: location, count: Int(count)))
    }

    private func intTuple(_ index: Int, what: String) throws -> [Int] {
        guard case let .tuple(items) = graph[index] else { throw failure("tensor \(what) is not a tuple") }
        return try items.map { item in
            guard let v = graph.int(item) else { throw failure("tensor \(what) holds a non-integer") }
            return Int(v)
        }
    }

    // MARK: - Stack and memo

    private mutating func push(_ value: PickleValue) {
        graph.values.append(value)
        stack.append(graph.values.count - 1)
    }

    private func peek() throws -> Int {
        guard let top = stack.last, (marks.last ?? -1) < stack.count else { throw failure("stack underflow") }
        return top
    }

    private mutating func pop(_ n: Int) throws -> [Int] {
        guard stack.count - n >= (marks.last ?? 0) else { throw failure("stack underflow") }
        let items = Array(stack.suffix(n))
        stack.removeLast(n)
        return items
    }

    private mutating func popToMark() throws -> [Int] {
        guard let mark = marks.popLast() else { throw failure("no MARK to pop to") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func memoize(at index: Int) throws {
        memo[index] = try peek()
    }

    private mutating func recall(_ index: Int) throws {
        guard let value = memo[index] else { throw failure("memo entry \(index) is not defined") }
        stack.append(value)
    }

    private func listIndex(_ index: Int) throws -> Int {
        guard case let .list(l) = graph[index] else { throw failure("APPEND to a \(graph[index].kind)") }
        return l
    }

    private func dictIndex(_ index: Int) throws -> Int {
        guard case let .dict(d) = graph[index] else { throw failure("SETITEM on a \(graph[index].kind)") }
        return d
    }

    // MARK: - Reading

    private mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw failure("pickle ends before STOP (truncated file)") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readBytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= bytes.count - position else {
            throw failure("a \(n)-byte value runs past the end of the data (truncated file)")
        }
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    /// An unsigned little-endian integer of 1…8 bytes.
    private mutating func readInteger(byteCount: Int) throws -> UInt64 {
        guard byteCount <= bytes.count - position else { throw failure("pickle ends inside a number (truncated file)") }
        var value: UInt64 = 0
        for i in 0..<byteCount { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += byteCount
        return value
    }

    private mutating func length64() throws -> Int {
        let n = try readInteger(byteCount: 8)
        guard n <= UInt64(bytes.count - position) else { throw failure("a \(n)-byte value runs past the end of the data") }
        return Int(n)
    }

    private mutating func readLine() throws -> String {
        guard let end = (position..<bytes.count).first(where: { bytes[$0] == 0x0A }), end - position <= 256 else {
            throw failure("unterminated GLOBAL name")
        }
        defer { position = end + 1 }
        return try utf8(Array(bytes[position..<end]))
    }

    private mutating func long(byteCount n: Int) throws -> PickleValue {
        let raw = try readBytes(n)
        if n == 0 { return .int(0) }
        if n <= 8 {
            var value: UInt64 = 0
            for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
            if raw[n - 1] & 0x80 != 0, n < 8 { value |= ~UInt64(0) << (8 * UInt64(n)) } // sign-extend
            return .int(Int64(bitPattern: value))
        }
        return .bigInt(raw)
    }

    private func utf8(_ raw: [UInt8]) throws -> String {
        guard let s = String(validating: raw, as: UTF8.self) else { throw failure("string is not valid UTF-8") }
        return s
    }

    private func failure(_ reason: String) -> NeuralError {
        .badWeights(file: file, reason: "pickle byte \(opcodeOffset): \(reason)")
    }

    /// A readable name for an opcode byte.
    static func describe(opcode: UInt8) -> String {
        let names: [UInt8: String] = [
            0x69: "INST", 0x6F: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x50: "PERSID", 0x49: "INT", 0x4C: "LONG",
            0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x46: "FLOAT",
            0x67: "GET", 0x70: "PUT", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x82: "EXT1", 0x83: "EXT2",
            0x84: "EXT4", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET", 0x96: "BYTEARRAY8",
            0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x6C: "LIST", 0x64: "DICT",
        ]
        let hex = "0x" + String(opcode, radix: 16, uppercase: true)
        if let name = names[opcode] { return "opcode \(name) (\(hex))" }
        return "unknown opcode \(hex)"
    }
}
