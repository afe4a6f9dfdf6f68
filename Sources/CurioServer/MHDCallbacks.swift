import CCurioHTTP
import CMicroHTTPD
import CurioCore
import Foundation

// libmicrohttpd calls these plain C functions from its worker threads. They must be global functions in a
// library file (closures at the top level of an executable crashed when called from MHD's threads).
//
// Request lifecycle (libmicrohttpd 0.9.7x):
//  1. Headers received: the access handler is called with *con_cls == NULL and no upload data.
//  2. For a body, the handler is called once per received chunk with upload_data != NULL; it must consume
//     the data (set *upload_data_size = 0) and may not queue a response during these calls.
//  3. Body complete: called with *upload_data_size == 0; the handler queues the response.
//  4. After the response is sent (or the connection died), the completion callback runs with the same con_cls.
// A response queued before the body is fully received makes MHD discard the rest and close the connection.

/// Per-request state kept in `*con_cls` between access-handler calls; released in the completion callback.
final class RequestState {
    let method: String
    let path: String
    let query: QueryParameters
    let headers: HTTPHeaders
    var body = Data()
    /// Set once the body passed the limit; the rest is read and dropped, then 413 is answered.
    var tooLarge = false
    var receivedBytes = 0
    /// Set when the response has been queued.
    var answered = false

    init(method: String, path: String, query: QueryParameters, headers: HTTPHeaders) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }
}

/// Collects key/value pairs from MHD_get_connection_values.
final class KeyValueCollector {
    var pairs: [(String, String?)] = []
}

func curioCollectKeyValue(_ context: UnsafeMutableRawPointer?, _ kind: MHD_ValueKind,
                          _ key: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?) -> MHD_Result {
    guard let context, let key else { return .YES }
    let collector = Unmanaged<KeyValueCollector>.fromOpaque(context).takeUnretainedValue()
    collector.pairs.append((String(cString: key), value.map { String(cString: $0) }))
    return .YES
}

/// The access handler registered with libmicrohttpd. `context` is the ``ServerCore``.
func curioAccessHandler(_ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
                        _ url: UnsafePointer<CChar>?, _ method: UnsafePointer<CChar>?, _ version: UnsafePointer<CChar>?,
                        _ uploadData: UnsafePointer<CChar>?, _ uploadDataSize: UnsafeMutablePointer<Int>?,
                        _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> MHD_Result {
    guard let context, let connection, let uploadDataSize, let requestContext else { return .NO }
    let core = Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue()

    guard let stored = requestContext.pointee else {
        // First call: the headers are in. Nothing may be answered yet unless the request is to be refused:
        // a response queued now makes libmicrohttpd close the connection (no keep-alive).
        core.requestStarted()
        core.logger.trace("request started: \(method.map { String(cString: $0) } ?? "?") \(url.map { String(cString: $0) } ?? "?")")
        let contentLength = lookupHeader(connection, "Content-Length")
        let chunked = lookupHeader(connection, "Transfer-Encoding")?.lowercased().contains("chunked") ?? false
        let declared = contentLength.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let declared, declared > core.maxBodyBytes {
            // Refuse before reading the body: MHD discards it and closes the connection after the response.
            requestContext.pointee = core.answeredMarker
            return queue(core.tooLargeResponse(path: url.map { String(cString: $0) } ?? "/", declared: declared),
                         on: connection, core: core)
        }
        if !chunked, (declared ?? 0) == 0 {
            // No body: answer on the next call, when MHD considers the request complete.
            requestContext.pointee = core.bodylessMarker
            return .YES
        }
        let state = makeState(connection, url: url, method: method)
        requestContext.pointee = Unmanaged.passRetained(state).toOpaque()
        return .YES
    }
    if stored == core.answeredMarker {
        // Already answered; MHD should not call again, but never crash if it does.
        uploadDataSize.pointee = 0
        return .YES
    }
    if stored == core.bodylessMarker {
        if uploadDataSize.pointee > 0 {
            // Data without a declared body cannot happen with a conforming MHD; drop it.
            uploadDataSize.pointee = 0
            return .YES
        }
        let state = makeState(connection, url: url, method: method)
        requestContext.pointee = core.answeredMarker
        return queue(core.dispatch(state), on: connection, core: core)
    }
    let state = Unmanaged<RequestState>.fromOpaque(stored).takeUnretainedValue()
    if state.answered {
        uploadDataSize.pointee = 0
        return .YES
    }
    let size = uploadDataSize.pointee
    if size > 0 {
        state.receivedBytes += size
        if !state.tooLarge {
            if state.body.count + size > core.maxBodyBytes {
                state.tooLarge = true
                state.body = Data()
            } else if let uploadData {
                state.body.append(UnsafeRawPointer(uploadData).assumingMemoryBound(to: UInt8.self), count: size)
            }
        }
        uploadDataSize.pointee = 0
        // A client streaming far past the limit is cut off rather than read forever.
        if state.receivedBytes > core.discardLimitBytes { return .NO }
        return .YES
    }
    state.answered = true
    if state.tooLarge {
        return queue(core.tooLargeResponse(path: state.path, declared: state.receivedBytes), on: connection, core: core)
    }
    return queue(core.dispatch(state), on: connection, core: core)
}

/// Called by libmicrohttpd when a request is finished (response sent, or connection closed).
func curioRequestCompleted(_ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
                           _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                           _ termination: MHD_RequestTerminationCode) {
    guard let context, let requestContext, let stored = requestContext.pointee else { return }
    let core = Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue()
    if stored != core.answeredMarker, stored != core.bodylessMarker {
        Unmanaged<RequestState>.fromOpaque(stored).release()
    }
    requestContext.pointee = nil
    core.requestFinished()
    if termination != .REQUEST_TERMINATED_COMPLETED_OK, core.logger.isEnabled(.debug) {
        core.logger.debug("request ended early (libmicrohttpd termination code \(termination.rawValue))")
    }
}

/// Receives libmicrohttpd's diagnostics.
func curioHTTPLog(_ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
    guard let context, let message else { return }
    let core = Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue()
    core.logger.debug("libmicrohttpd: \(String(cString: message))")
}

private func makeState(_ connection: OpaquePointer, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?) -> RequestState {
    RequestState(method: method.map { String(cString: $0) } ?? "GET",
                 path: url.map { String(cString: $0) } ?? "/",
                 query: QueryParameters(collect(connection, .GET_ARGUMENT_KIND)),
                 headers: HTTPHeaders(collect(connection, .HEADER_KIND).map { ($0.0, $0.1 ?? "") }))
}

private func lookupHeader(_ connection: OpaquePointer, _ name: String) -> String? {
    MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
}

private func collect(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [(String, String?)] {
    let collector = KeyValueCollector()
    let pointer = Unmanaged.passUnretained(collector).toOpaque()
    _ = MHD_get_connection_values(connection, kind, curioCollectKeyValue, pointer)
    return withExtendedLifetime(collector) { collector.pairs }
}

private func queue(_ response: HTTPResponse, on connection: OpaquePointer, core: ServerCore) -> MHD_Result {
    let created: OpaquePointer? = response.body.withUnsafeBytes { buffer in
        MHD_create_response_from_buffer(buffer.count, UnsafeMutableRawPointer(mutating: buffer.baseAddress),
                                        .RESPMEM_MUST_COPY)
    }
    guard let mhdResponse = created else { return .NO }
    defer { MHD_destroy_response(mhdResponse) }
    for (name, value) in response.headers {
        _ = MHD_add_response_header(mhdResponse, name, value)
    }
    if core.isDraining { _ = MHD_add_response_header(mhdResponse, "Connection", "close") }
    return MHD_queue_response(connection, UInt32(response.status.rawValue), mhdResponse)
}
