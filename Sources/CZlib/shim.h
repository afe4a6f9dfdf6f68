#include <zlib.h>

/* inflateInit2 is a macro; expose a function Swift can call. */
static inline int curio_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
