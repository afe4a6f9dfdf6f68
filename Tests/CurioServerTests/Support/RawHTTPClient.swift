import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response read off the wire by ``RawHTTPClient``.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body as JSON (object or array).
    func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }

    /// The body as a JSON object, or an empty dictionary.
    var object: [String: Any] { ((try? json()) as? [String: Any]) ?? [:] }

    var text: String { String(decoding: body, as: UTF8.self) }
}

enum RawHTTPError: Error, CustomStringConvertible {
    case connect(Int32)
    case noResponse(String)
    var description: String {
        switch self {
        case let .connect(code): "connect failed: errno \(code)"
        case let .noResponse(got): "no parsable HTTP response; got \(got.prefix(200).debugDescription)"
        }
    }
}

/// A deliberately simple HTTP/1.1 client over a blocking loopback socket, able to send malformed requests.
/// Reads until the server closes the connection (requests say `Connection: close`).
struct RawHTTPClient {
    let port: UInt16
    var timeoutSeconds = 10

    /// Opens a connection to 127.0.0.1:port.
    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.connect(errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw RawHTTPError.connect(code)
        }
        return fd
    }

    /// Sends bytes; returns false when the peer closed the connection (expected for refused uploads).
    @discardableResult
    static func send(_ fd: Int32, _ data: Data) -> Bool {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return Glibc.send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 {
                if sent < 0, errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Reads until EOF or timeout.
    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            data.append(buffer, count: count)
        }
        return data
    }

    /// Sends raw bytes (a whole request, possibly malformed) and parses the answer.
    func exchange(_ raw: Data, halfClose: Bool = false) throws -> RawResponse {
        let fd = try connect()
        defer { close(fd) }
        Self.send(fd, raw)
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        return try Self.parse(Self.readAll(fd))
    }

    func exchange(_ raw: String, halfClose: Bool = false) throws -> RawResponse {
        try exchange(Data(raw.utf8), halfClose: halfClose)
    }

    /// A well-formed request.
    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: Data? = nil) throws -> RawResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var raw = Data(head.utf8)
        if let body { raw.append(body) }
        return try exchange(raw)
    }

    func get(_ target: String, headers: [(String, String)] = []) throws -> RawResponse {
        try request("GET", target, headers: headers)
    }

    func postJSON(_ target: String, _ json: String, headers: [(String, String)] = []) throws -> RawResponse {
        try request("POST", target, headers: [("Content-Type", "application/json")] + headers, body: Data(json.utf8))
    }

    /// Parses status line, headers and body (Content-Length, chunked, or to end of stream).
    static func parse(_ data: Data) throws -> RawResponse {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = data.range(of: separator) else {
            throw RawHTTPError.noResponse(String(decoding: data, as: UTF8.self))
        }
        let head = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RawHTTPError.noResponse(head)
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Data(data[end.upperBound...])
        let response = RawResponse(status: status, headers: headers, body: body)
        if let length = response.header("Content-Length").flatMap(Int.init), body.count > length {
            body = body.prefix(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            body = dechunk(body)
        }
        return RawResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var index = data.startIndex
        while index < data.endIndex {
            guard let lineEnd = data[index...].range(of: Data("\r\n".utf8)) else { break }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let stop = min(data.endIndex, start + size)
            out.append(data[start..<stop])
            index = min(data.endIndex, stop + 2)
        }
        return out
    }
}
