import Foundation
import CCurioVips
import CVips

/// Starts libvips exactly once per process and turns its error buffer into Swift strings.
///
/// libvips is thread-safe once initialised; Swift initialises `static let` globals exactly once even under
/// concurrent first use, so `ensureStarted()` may be called from any thread.
enum VipsRuntime {
    /// nil when libvips started, otherwise the reason it did not.
    private static let startFailure: String? = {
        if curio_vips_init("curio") != 0 {
            return takeError(fallback: "vips_init failed")
        }
        // Refuse loaders libvips itself marks as unsafe for untrusted input (SVG, PDF, CSV, FITS, Magick, ...);
        // Curio additionally only accepts the formats listed in `ImageFormat`.
        vips_block_untrusted_set(1)
        // Each image is processed once, so the operation cache would only hold memory and file descriptors.
        vips_cache_set_max(0)
        return nil
    }()

    /// Throws `ImagingError.libraryUnavailable` when libvips could not be initialised.
    static func ensureStarted() throws(ImagingError) {
        if let failure = startFailure { throw .libraryUnavailable(reason: failure) }
    }

    /// Sets how many worker threads libvips uses inside one image pipeline (default: one per core).
    /// Use 1 when decoding several images in parallel on your own threads.
    static func setConcurrency(_ threads: Int) {
        _ = startFailure
        vips_concurrency_set(Int32(max(1, threads)))
    }

    /// The pending libvips error message (cleared), trimmed, or `fallback` when there is none.
    static func takeError(fallback: String) -> String {
        guard let raw = curio_vips_take_error() else { return fallback }
        defer { g_free(raw) }
        let message = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
        return message.isEmpty ? fallback : message
    }
}

/// Owns one reference to a `VipsImage` and releases it when the Swift object goes away.
final class VipsImageRef {
    let pointer: UnsafeMutablePointer<VipsImage>

    init(_ pointer: UnsafeMutablePointer<VipsImage>) { self.pointer = pointer }

    deinit { g_object_unref(UnsafeMutableRawPointer(pointer)) }

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }
    var bands: Int { Int(vips_image_get_bands(pointer)) }
    var format: VipsBandFormat { vips_image_get_format(pointer) }
    var interpretation: VipsInterpretation { vips_image_get_interpretation(pointer) }
    var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    var hasICCProfile: Bool { vips_image_get_typeof(pointer, VIPS_META_ICC_NAME) != 0 }
    /// True when the EXIF orientation turns the image by 90° or 270° (width and height swap once upright).
    var orientationSwapsAxes: Bool { vips_image_get_orientation_swap(pointer) != 0 }

    /// Runs a one-output libvips operation and wraps its result, or throws with libvips's message.
    func apply(_ step: String, file: String,
               _ operation: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32)
        throws(ImagingError) -> VipsImageRef {
        var out: UnsafeMutablePointer<VipsImage>?
        guard operation(pointer, &out) == 0, let result = out else {
            throw .cannotDecode(file: file, reason: VipsRuntime.takeError(fallback: "\(step) failed"))
        }
        return VipsImageRef(result)
    }
}
