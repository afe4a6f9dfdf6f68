#ifndef CCURIO_HTTP_H
#define CCURIO_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <microhttpd.h>

/// Starts a libmicrohttpd daemon with an internal thread pool on 127.0.0.1 or all interfaces.
/// A fixed-arity wrapper around the variadic MHD_start_daemon, which Swift cannot call.
/// Returns NULL when the daemon could not start (port in use, bad options).
struct MHD_Daemon *curio_http_start(uint16_t port,
                                    int loopback_only,
                                    unsigned int thread_pool_size,
                                    unsigned int connection_limit,
                                    unsigned int connection_timeout_seconds,
                                    size_t connection_memory_limit,
                                    MHD_AccessHandlerCallback handler,
                                    void *handler_context,
                                    MHD_RequestCompletedCallback completed,
                                    void *completed_context);

/// The port the daemon actually listens on (useful when started on port 0).
uint16_t curio_http_bound_port(struct MHD_Daemon *daemon);

#endif
