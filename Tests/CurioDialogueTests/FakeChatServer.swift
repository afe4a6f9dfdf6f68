import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A scripted OpenAI-compatible chat server on a random loopback port, for testing the LLM guide without a network.
/// Each request gets the next scripted response body; requests are recorded.
final class FakeChatServer: Sendable {
    let port: UInt16
    private let socket: Int32
    private let script: Mutex<[String]>
    let requests = Mutex<[String]>([])

    init(responses: [String]) throws {
        script = Mutex(responses)
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        socket = fd
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            var expected: Int?
            while true {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                data.append(contentsOf: buffer[0..<n])
                let text = String(decoding: data, as: UTF8.self)
                if let headerEnd = text.range(of: "\r\n\r\n") {
                    if expected == nil {
                        let headers = text[..<headerEnd.lowerBound].lowercased()
                        let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                            .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                        expected = text.utf8.distance(from: text.utf8.startIndex, to: headerEnd.upperBound) + length
                    }
                    if let e = expected, data.count >= e { break }
                }
            }
            let request = String(decoding: data, as: UTF8.self)
            requests.withLock { $0.append(request) }
            let body = script.withLock { $0.isEmpty ? #"{"error": "script exhausted"}"# : $0.removeFirst() }
            let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = response.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
    }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    /// A chat completion whose message is plain content.
    static func answer(_ content: String) -> String {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [content], options: [.withoutEscapingSlashes]), as: UTF8.self)
        return #"{"choices": [{"message": {"role": "assistant", "content": "# + escaped.dropFirst().dropLast() + "}}]}"
    }

    /// A chat completion asking for one tool call.
    static func toolCall(_ name: String, _ arguments: String) -> String {
        let args = String(decoding: try! JSONSerialization.data(withJSONObject: [arguments]), as: UTF8.self).dropFirst().dropLast()
        return #"{"choices": [{"message": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": ""# + name + #"", "arguments": "# + args + "}}]}}]}"
    }
}
