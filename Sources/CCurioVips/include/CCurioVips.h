#ifndef CCURIO_VIPS_H
#define CCURIO_VIPS_H

#include <vips/vips.h>

/// Initialises libvips once per process (VIPS_INIT is a macro Swift cannot call). Returns 0 on success.
int curio_vips_init(const char *program_name);

/// The last libvips error message, cleared after reading; the caller frees it with g_free.
char *curio_vips_take_error(void);

#endif
