#include "CCurioVips.h"

#include <string.h>

int curio_vips_init(const char *program_name) {
    return VIPS_INIT(program_name);
}

char *curio_vips_take_error(void) {
    /* vips_error_buffer_copy takes the buffer's lock, copies and clears it in one step. */
    return vips_error_buffer_copy();
}

VipsImage *curio_vips_open_file(const char *path, VipsAccess access, VipsFailOn fail_on, int shrink) {
    if (shrink > 1) {
        return vips_image_new_from_file(path, "access", access, "fail_on", fail_on, "shrink", shrink, NULL);
    }
    return vips_image_new_from_file(path, "access", access, "fail_on", fail_on, NULL);
}

VipsImage *curio_vips_open_buffer(const void *data, size_t length, VipsAccess access, VipsFailOn fail_on, int shrink) {
    if (shrink > 1) {
        return vips_image_new_from_buffer(data, length, "", "access", access, "fail_on", fail_on, "shrink", shrink,
                                          NULL);
    }
    return vips_image_new_from_buffer(data, length, "", "access", access, "fail_on", fail_on, NULL);
}

int curio_vips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space) {
    return vips_colourspace(in, out, space, NULL);
}

int curio_vips_icc_to_srgb(VipsImage *in, VipsImage **out) {
    return vips_icc_transform(in, out, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_RELATIVE, NULL);
}

int curio_vips_set_interpretation(VipsImage *in, VipsImage **out, VipsInterpretation interpretation) {
    return vips_copy(in, out, "interpretation", interpretation, NULL);
}

int curio_vips_flatten(VipsImage *in, VipsImage **out, double background) {
    double values[1] = { background };
    VipsArrayDouble *array = vips_array_double_new(values, 1);
    int result = vips_flatten(in, out, "background", array, NULL);
    vips_area_unref(VIPS_AREA(array));
    return result;
}

int curio_vips_resize(VipsImage *in, VipsImage **out, double hscale, double vscale, VipsKernel kernel, double gap) {
    return vips_resize(in, out, hscale, "vscale", vscale, "kernel", kernel, "gap", gap, NULL);
}

int curio_vips_upscale_bilinear(VipsImage *in, VipsImage **out, double hscale, double vscale, int width, int height) {
    int area[4] = { 0, 0, width, height };
    VipsArrayInt *oarea = vips_array_int_new(area, 4);
    /* vips_affine maps output x to input x / scale - idx; idx = ½ − ½ / scale aligns pixel centres. */
    int result = vips_affine(in, out, hscale, 0.0, 0.0, vscale,
                             "interpolate", vips_interpolate_bilinear_static(),
                             "idx", 0.5 - 0.5 / hscale, "idy", 0.5 - 0.5 / vscale,
                             "extend", VIPS_EXTEND_COPY, "oarea", oarea, NULL);
    vips_area_unref(VIPS_AREA(oarea));
    return result;
}

int curio_vips_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

int curio_vips_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

int curio_vips_extract_bands(VipsImage *in, VipsImage **out, int band, int n) {
    return vips_extract_band(in, out, band, "n", n, NULL);
}

int curio_vips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) {
    return vips_cast(in, out, format, NULL);
}

int curio_vips_rshift(VipsImage *in, VipsImage **out, int bits) {
    return vips_rshift_const1(in, out, (double)bits, NULL);
}

int curio_vips_grey_to_rgb(VipsImage *in, VipsImage **out) {
    VipsImage *bands[3] = { in, in, in };
    return vips_bandjoin(bands, out, 3, NULL);
}

VipsImage *curio_vips_image_from_rgb(const unsigned char *pixels, int width, int height) {
    VipsImage *raw = vips_image_new_from_memory_copy(pixels, (size_t)width * height * 3, width, height, 3,
                                                     VIPS_FORMAT_UCHAR);
    if (!raw) return NULL;
    VipsImage *tagged = NULL;
    int result = vips_copy(raw, &tagged, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(raw);
    return result == 0 ? tagged : NULL;
}
