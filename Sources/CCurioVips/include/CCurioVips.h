#ifndef CCURIO_VIPS_H
#define CCURIO_VIPS_H

/*
 * Fixed-arity wrappers around the variadic libvips API, which Swift cannot call.
 *
 * Every function that produces an image follows the libvips convention: it returns 0 on success and stores a
 * new reference in *out (the caller releases it with g_object_unref), or returns non-zero and leaves the reason
 * in the libvips error buffer (read it with curio_vips_take_error).
 */

#include <stddef.h>
#include <vips/vips.h>

/// Initialises libvips (VIPS_INIT is a macro Swift cannot call). Call once per process. Returns 0 on success.
int curio_vips_init(const char *program_name);

/// The last libvips error message, cleared after reading; the caller frees it with g_free.
char *curio_vips_take_error(void);

/// Opens a file lazily (only the header is read) with the given access pattern and failure level.
/// `shrink` > 1 asks the JPEG loader to shrink on load by 2, 4 or 8; pass 1 for other formats.
VipsImage *curio_vips_open_file(const char *path, VipsAccess access, VipsFailOn fail_on, int shrink);

/// Opens an image held in memory lazily. The buffer must stay alive until the image is released.
/// `shrink` as for curio_vips_open_file.
VipsImage *curio_vips_open_buffer(const void *data, size_t length, VipsAccess access, VipsFailOn fail_on, int shrink);

/// Converts to `space` (e.g. VIPS_INTERPRETATION_sRGB, VIPS_INTERPRETATION_LAB).
int curio_vips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space);

/// Converts to sRGB through the embedded ICC profile (relative colorimetric intent).
int curio_vips_icc_to_srgb(VipsImage *in, VipsImage **out);

/// Re-tags the image's interpretation without touching pixels.
int curio_vips_set_interpretation(VipsImage *in, VipsImage **out, VipsInterpretation interpretation);

/// Composites the alpha band onto a uniform background of `background` (0…255 scale for 8-bit images).
int curio_vips_flatten(VipsImage *in, VipsImage **out, double background);

/// Resizes by independent horizontal and vertical factors with `kernel`; `gap` 0 disables the box pre-shrink.
int curio_vips_resize(VipsImage *in, VipsImage **out, double hscale, double vscale, VipsKernel kernel, double gap);

/// Enlarges by `hscale`, `vscale` (both ≥ 1) with bilinear interpolation on pixel centres (output pixel centre
/// x + ½ samples input position (x + ½) / scale − ½, edges repeated) into a `width`×`height` image: the
/// convention of Pillow's and PyTorch's bilinear resize.
int curio_vips_upscale_bilinear(VipsImage *in, VipsImage **out, double hscale, double vscale, int width, int height);

/// Rotates/flips upright according to the EXIF orientation tag.
int curio_vips_autorot(VipsImage *in, VipsImage **out);

/// Extracts a rectangle.
int curio_vips_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height);

/// Extracts `n` bands starting at `band`.
int curio_vips_extract_bands(VipsImage *in, VipsImage **out, int band, int n);

/// Casts pixel values to `format`, clipping to its range.
int curio_vips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format);

/// Shifts integer pixel values right by `bits` (16-bit → 8-bit with bits = 8).
int curio_vips_rshift(VipsImage *in, VipsImage **out, int bits);

/// Wraps a copy of interleaved 8-bit sRGB pixels as an sRGB image.
VipsImage *curio_vips_image_from_rgb(const unsigned char *pixels, int width, int height);

/// Replicates a one-band image into three identical bands.
int curio_vips_grey_to_rgb(VipsImage *in, VipsImage **out);

#endif
