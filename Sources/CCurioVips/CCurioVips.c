#include "CCurioVips.h"

#include <string.h>

int curio_vips_init(const char *program_name) {
    return VIPS_INIT(program_name);
}

char *curio_vips_take_error(void) {
    const char *message = vips_error_buffer();
    char *copy = g_strdup(message ? message : "");
    vips_error_clear();
    return copy;
}
