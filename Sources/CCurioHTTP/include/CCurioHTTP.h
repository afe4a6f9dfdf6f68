#ifndef CCURIO_HTTP_H
#define CCURIO_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <microhttpd.h>

/// Receives libmicrohttpd's own diagnostics, already formatted (MHD hands out a printf format and a va_list,
/// which Swift cannot consume).
typedef void (*curio_http_log_callback)(void *context, const char *message);

/// A running libmicrohttpd daemon plus what the wrapper needs to stop it cleanly.
struct curio_http_server;

/// Starts a libmicrohttpd daemon with an internal thread pool (poll), listening on `host:port`.
/// A fixed-arity wrapper around the variadic MHD_start_daemon, which Swift cannot call.
///
/// - host: an IPv4 or IPv6 literal ("127.0.0.1", "0.0.0.0", "::1", "::"); NULL means 127.0.0.1.
/// - port: 0 picks a free port (read it back with curio_http_bound_port).
/// - log: receives MHD's diagnostics (may be NULL to drop them).
/// The daemon is started with MHD_USE_ITC so that curio_http_quiesce works (graceful shutdown).
/// Returns NULL when the daemon could not start; `error_out` (when not NULL) then receives a short reason.
struct curio_http_server *curio_http_start(const char *host,
                                           uint16_t port,
                                           unsigned int thread_pool_size,
                                           unsigned int connection_limit,
                                           unsigned int connection_timeout_seconds,
                                           size_t connection_memory_limit,
                                           unsigned int listen_backlog,
                                           MHD_AccessHandlerCallback handler,
                                           void *handler_context,
                                           MHD_RequestCompletedCallback completed,
                                           void *completed_context,
                                           curio_http_log_callback log,
                                           void *log_context,
                                           const char **error_out);

/// The port the daemon actually listens on (useful when started on port 0).
uint16_t curio_http_bound_port(struct curio_http_server *server);

/// Number of open client connections.
unsigned int curio_http_connection_count(struct curio_http_server *server);

/// Stops accepting new connections; open connections carry on. Returns 0 on success, -1 if already quiesced.
int curio_http_quiesce(struct curio_http_server *server);

/// Stops the daemon (joins its threads, closes every connection), closes the quiesced listening socket and
/// frees `server`. The handler and log callbacks are never called after this returns.
void curio_http_stop(struct curio_http_server *server);

#endif
