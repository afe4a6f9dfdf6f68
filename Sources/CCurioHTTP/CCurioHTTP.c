#include "CCurioHTTP.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct curio_http_server {
    struct MHD_Daemon *daemon;
    MHD_socket quiesced_socket;
    curio_http_log_callback log;
    void *log_context;
};

static void curio_http_forward_log(void *cls, const char *format, va_list args) {
    struct curio_http_server *server = (struct curio_http_server *)cls;
    if (server == NULL || server->log == NULL) {
        return;
    }
    char buffer[1024];
    vsnprintf(buffer, sizeof(buffer), format, args);
    size_t length = strlen(buffer);
    while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r')) {
        buffer[--length] = '\0';
    }
    server->log(server->log_context, buffer);
}

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
                                           const char **error_out) {
    struct sockaddr_in address4;
    struct sockaddr_in6 address6;
    struct sockaddr *address = NULL;
    /* poll(), not epoll: with epoll (edge-triggered) libmicrohttpd 0.9.75 misses a client closing in the middle
       of an upload and keeps the request open until the idle timeout, which also stalls graceful shutdown. */
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    const char *name = host ? host : "127.0.0.1";

    memset(&address4, 0, sizeof(address4));
    memset(&address6, 0, sizeof(address6));
    if (inet_pton(AF_INET, name, &address4.sin_addr) == 1) {
        address4.sin_family = AF_INET;
        address4.sin_port = htons(port);
        address = (struct sockaddr *)&address4;
    } else if (inet_pton(AF_INET6, name, &address6.sin6_addr) == 1) {
        address6.sin6_family = AF_INET6;
        address6.sin6_port = htons(port);
        address = (struct sockaddr *)&address6;
        flags |= MHD_USE_IPv6;
    } else {
        if (error_out) {
            *error_out = "the host is not an IPv4 or IPv6 address literal";
        }
        return NULL;
    }
    if (thread_pool_size <= 1) {
        /* One worker is the internal polling thread itself; MHD warns about a pool of size 1. */
        thread_pool_size = 0;
    }

    struct curio_http_server *server = calloc(1, sizeof(struct curio_http_server));
    if (server == NULL) {
        if (error_out) {
            *error_out = "out of memory";
        }
        return NULL;
    }
    server->quiesced_socket = MHD_INVALID_SOCKET;
    server->log = log;
    server->log_context = log_context;

    server->daemon =
        MHD_start_daemon(flags, port, NULL, NULL, handler, handler_context,
                         /* The logger first, so that warnings about later options reach it too. */
                         MHD_OPTION_EXTERNAL_LOGGER, curio_http_forward_log, server,
                         MHD_OPTION_SOCK_ADDR, address,
                         MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
                         MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                         MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
                         MHD_OPTION_LISTEN_BACKLOG_SIZE, listen_backlog,
                         MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
                         MHD_OPTION_END);
    if (server->daemon == NULL) {
        free(server);
        if (error_out) {
            *error_out = "libmicrohttpd could not start (address in use, or not an address of this machine?)";
        }
        return NULL;
    }
    return server;
}

uint16_t curio_http_bound_port(struct curio_http_server *server) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

unsigned int curio_http_connection_count(struct curio_http_server *server) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info ? info->num_connections : 0;
}

int curio_http_quiesce(struct curio_http_server *server) {
    if (server->quiesced_socket != MHD_INVALID_SOCKET) {
        return -1;
    }
    MHD_socket socket = MHD_quiesce_daemon(server->daemon);
    if (socket == MHD_INVALID_SOCKET) {
        return -1;
    }
    server->quiesced_socket = socket;
    return 0;
}

void curio_http_stop(struct curio_http_server *server) {
    if (server == NULL) {
        return;
    }
    MHD_stop_daemon(server->daemon);
    /* MHD hands the listening socket to the caller on quiesce; it may only be closed after the stop. */
    if (server->quiesced_socket != MHD_INVALID_SOCKET) {
        close(server->quiesced_socket);
    }
    free(server);
}
