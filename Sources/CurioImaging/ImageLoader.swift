import CCurioVips
import CVips
import CurioCore
import Foundation

/// Decodes JPEG, PNG, TIFF, WebP and GIF images with libvips into 8-bit sRGB `RGBImage`s.
///
/// Every image goes through the same pipeline:
/// 1. the format is sniffed from the content and checked against `ImageFormat` (others are refused);
/// 2. only the header is read, and width × height is checked against `Limits.maxPixels` before any pixel is
///    decoded (decompression-bomb guard);
/// 3. JPEGs that will be shrunk a lot are decoded at 1/2, 1/4 or 1/8 scale directly (shrink-on-load);
/// 4. colour is normalised to 8-bit sRGB: embedded ICC profiles are applied (unless `colourProfiles` is
///    `.ignore`), CMYK, greyscale and 16-bit images are converted;
/// 5. transparency is flattened onto white;
/// 6. the image is resized as requested, turned upright by its EXIF orientation and, if asked, centre-cropped.
///
/// By default (`Strictness.strict`) any decoder complaint — truncation, corrupt compressed data, a libjpeg
/// warning — is an error, never a half-grey picture. `ImageLoader` is a value type and safe to use from many
/// threads at once.
public struct ImageLoader: Sendable {
    /// Guards against images that would exhaust memory.
    public struct Limits: Sendable, Hashable {
        /// Largest accepted width × height, read from the header before decoding. Default 100 megapixels.
        public var maxPixels: Int
        /// Largest accepted file or buffer size in bytes. Default 1 GiB.
        public var maxBytes: Int

        /// Limits with the given values (defaults: 100 megapixels, 1 GiB).
        public init(maxPixels: Int = 100_000_000, maxBytes: Int = 1 << 30) {
            self.maxPixels = maxPixels
            self.maxBytes = maxBytes
        }
    }

    /// How much damage the decoders tolerate.
    public enum Strictness: Sendable, Hashable {
        /// Refuse an image on any decoder warning (libvips `fail_on=warning`): corrupt JPEG data, bad CRCs, truncation.
        case strict
        /// Accept images the decoders could repair with a warning (e.g. stray bytes between JPEG markers); refuse
        /// only on errors and truncation (libvips `fail_on=error`).
        case tolerant

        var vipsLevel: VipsFailOn { self == .strict ? VIPS_FAIL_ON_WARNING : VIPS_FAIL_ON_ERROR }
    }

    /// What to do with ICC colour profiles embedded in images.
    public enum ColourProfiles: Sendable, Hashable {
        /// Convert through the embedded profile to sRGB (colour-correct for Adobe RGB, ProPhoto, CMYK, ...).
        case apply
        /// Treat RGB values as sRGB whatever the profile says. Use this for vision-model input: ImageNet models
        /// were trained on pixels decoded this way (Pillow ignores profiles), and so were the reference features.
        case ignore
    }

    /// The limits applied to every image.
    public var limits: Limits
    /// How much damage the decoders tolerate (default `.strict`).
    public var strictness: Strictness
    /// Whether embedded colour profiles are applied (default `.apply`).
    public var colourProfiles: ColourProfiles

    /// A loader with the given limits, strictness and colour-profile handling.
    public init(limits: Limits = Limits(), strictness: Strictness = .strict, colourProfiles: ColourProfiles = .apply) {
        self.limits = limits
        self.strictness = strictness
        self.colourProfiles = colourProfiles
    }

    /// The loader to prepare input for a vision model: profiles ignored, otherwise default settings.
    public static let modelInput = ImageLoader(colourProfiles: .ignore)

    /// Sets how many threads libvips uses inside one image's pipeline (default: one per core). Set 1 when you
    /// decode several images in parallel yourself.
    public static func setLibraryThreads(_ threads: Int) {
        VipsRuntime.setConcurrency(threads)
    }

    /// Reads the header of an image file without decoding its pixels.
    /// - Throws: `ImagingError` when the file is missing, empty, not an accepted format or unreadable.
    public func header(ofFile path: String) throws(ImagingError) -> ImageHeader {
        try VipsRuntime.ensureStarted()
        try checkFile(path)
        let failOn = strictness.vipsLevel
        let format = try detectFormat(name: path) { vips_foreign_find_load(path) }
        let image = try open(name: path, shrink: 1) { shrink in
            curio_vips_open_file(path, VIPS_ACCESS_SEQUENTIAL, failOn, shrink)
        }
        return header(of: image, format: format)
    }

    /// Decodes the image file at `path`.
    /// - Parameter size: the size to deliver (default: original size).
    /// - Throws: `ImagingError`, naming `path`.
    public func load(file path: String, size: ImageSize = .original) throws(ImagingError) -> RGBImage {
        try VipsRuntime.ensureStarted()
        try checkFile(path)
        let failOn = strictness.vipsLevel
        let format = try detectFormat(name: path) { vips_foreign_find_load(path) }
        return try decode(name: path, format: format, size: size) { shrink in
            curio_vips_open_file(path, VIPS_ACCESS_SEQUENTIAL, failOn, shrink)
        }
    }

    /// Decodes an image held in memory (e.g. fetched over HTTP or read from an archive).
    /// - Parameters:
    ///   - data: the encoded image bytes.
    ///   - name: how errors refer to this image (a URL, an archive member, ...).
    ///   - size: the size to deliver.
    /// - Throws: `ImagingError`, naming `name`.
    public func load(data: [UInt8], name: String, size: ImageSize = .original) throws(ImagingError) -> RGBImage {
        try VipsRuntime.ensureStarted()
        guard !data.isEmpty else { throw .empty(file: name) }
        guard data.count <= limits.maxBytes else {
            throw .unsupported(file: name, reason: "\(data.count) bytes is above the limit of \(limits.maxBytes) bytes")
        }
        let failOn = strictness.vipsLevel
        let result: Result<RGBImage, ImagingError> = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return .failure(.empty(file: name)) }
            do throws(ImagingError) {
                let format = try detectFormat(name: name) { vips_foreign_find_load_buffer(base, raw.count) }
                // The buffer outlives every image made from it: all of them are released inside this closure.
                return .success(try decode(name: name, format: format, size: size) { shrink in
                    curio_vips_open_buffer(base, raw.count, VIPS_ACCESS_SEQUENTIAL, failOn, shrink)
                })
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `image` reduced (Lanczos-3) to fit inside `side`×`side`, keeping its aspect ratio; unchanged if it fits.
    static func resize(_ image: RGBImage, toFit side: Int) throws(ImagingError) -> RGBImage {
        try VipsRuntime.ensureStarted()
        let name = "(in-memory image)"
        let factor = min(1, Double(side) / Double(max(image.width, image.height)))
        guard factor < 1 else { return image }
        let width = max(1, Int((Double(image.width) * factor).rounded()))
        let height = max(1, Int((Double(image.height) * factor).rounded()))
        let made = image.pixels.withUnsafeBufferPointer {
            curio_vips_image_from_rgb($0.baseAddress, Int32(image.width), Int32(image.height))
        }
        guard let made else { throw .cannotDecode(file: name, reason: VipsRuntime.takeError(fallback: "cannot wrap pixels")) }
        let loader = ImageLoader()
        let resized = try loader.resize(VipsImageRef(made), width: width, height: height, bilinear: false, name: name)
        return try loader.pixels(of: resized, name: name)
    }

    // MARK: - Pipeline

    private func checkFile(_ path: String) throws(ImagingError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(file: path, reason: "not a regular file") }
        guard access(path, R_OK) == 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        guard info.st_size > 0 else { throw .empty(file: path) }
        guard Int(info.st_size) <= limits.maxBytes else {
            throw .unsupported(file: path, reason: "\(info.st_size) bytes is above the limit of \(limits.maxBytes) bytes")
        }
    }

    private func detectFormat(name: String, _ find: () -> UnsafePointer<CChar>?) throws(ImagingError) -> ImageFormat {
        guard let loader = find() else {
            _ = VipsRuntime.takeError(fallback: "")
            throw .unsupported(file: name, reason: "not a recognised image format (accepted: JPEG, PNG, TIFF, WebP, GIF)")
        }
        let loaderName = String(cString: loader)
        guard let format = ImageFormat(vipsLoader: loaderName) else {
            throw .unsupported(file: name, reason: "\(ImageFormat.readableLoaderName(loaderName)) images are not accepted (accepted: JPEG, PNG, TIFF, WebP, GIF)")
        }
        return format
    }

    private func open(name: String, shrink: Int,
                      _ opener: (Int32) -> UnsafeMutablePointer<VipsImage>?) throws(ImagingError) -> VipsImageRef {
        guard let pointer = opener(Int32(shrink)) else {
            throw .cannotDecode(file: name, reason: VipsRuntime.takeError(fallback: "cannot read the image header"))
        }
        let image = VipsImageRef(pointer)
        guard image.width > 0, image.height > 0 else { throw .empty(file: name) }
        return image
    }

    private func header(of image: VipsImageRef, format: ImageFormat) -> ImageHeader {
        let swap = image.orientationSwapsAxes
        return ImageHeader(format: format, width: swap ? image.height : image.width,
                           height: swap ? image.width : image.height, bands: image.bands, hasAlpha: image.hasAlpha)
    }

    private func decode(name: String, format: ImageFormat, size: ImageSize,
                        _ opener: (Int32) -> UnsafeMutablePointer<VipsImage>?) throws(ImagingError) -> RGBImage {
        var image = try open(name: name, shrink: 1, opener)
        let (width, height) = (image.width, image.height)
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixelCount <= limits.maxPixels else {
            throw .tooLarge(file: name, width: width, height: height, limit: limits.maxPixels)
        }
        let swap = image.orientationSwapsAxes
        let upright = swap ? (width: height, height: width) : (width: width, height: height)
        let plan = try ResizePlan(size: size, uprightWidth: upright.width, uprightHeight: upright.height, name: name)

        // Shrink-on-load: let libjpeg decode at 1/2, 1/4 or 1/8 scale, keeping at least a factor of two for the
        // final, higher-quality resampling step.
        if format == .jpeg, plan.scale < 1 {
            let factor = 1 / plan.scale
            var shrink = 1
            while shrink < 8, Double(shrink * 2) * 2 <= factor { shrink *= 2 }
            if shrink > 1 { image = try open(name: name, shrink: shrink, opener) }
        }

        image = try toSRGB(image, name: name)
        if image.hasAlpha {
            image = try image.apply("flatten", file: name) { curio_vips_flatten($0, $1, 255) }
        }
        if image.bands > 3 {
            image = try image.apply("extract bands", file: name) { curio_vips_extract_bands($0, $1, 0, 3) }
        } else if image.bands == 1 {
            image = try image.apply("grey to RGB", file: name) { curio_vips_grey_to_rgb($0, $1) }
        }
        if image.format != VIPS_FORMAT_UCHAR {
            image = try image.apply("cast", file: name) { curio_vips_cast($0, $1, VIPS_FORMAT_UCHAR) }
        }

        // Resize in the stored orientation: swap the target axes if the EXIF tag turns the image.
        if let target = plan.target {
            let (targetWidth, targetHeight) = swap ? (target.height, target.width) : (target.width, target.height)
            if targetWidth != image.width || targetHeight != image.height {
                image = try resize(image, width: targetWidth, height: targetHeight, bilinear: plan.bilinear, name: name)
            }
        }

        // Decode now (sequential access streams the file once); corrupt or truncated data fails here.
        guard let materialised = vips_image_copy_memory(image.pointer) else {
            throw .cannotDecode(file: name, reason: VipsRuntime.takeError(fallback: "decoding failed"))
        }
        image = VipsImageRef(materialised)
        image = try image.apply("autorotate", file: name) { curio_vips_autorot($0, $1) }

        if let crop = plan.centreCrop {
            let side = min(crop, image.width, image.height)
            let left = (image.width - side) / 2, top = (image.height - side) / 2
            image = try image.apply("crop", file: name) {
                curio_vips_extract_area($0, $1, Int32(left), Int32(top), Int32(side), Int32(side))
            }
        }
        return try pixels(of: image, name: name)
    }

    /// Resizes to exactly `width`×`height`. Bilinear resizing matches Pillow's `BILINEAR` (and PyTorch's): reduction
    /// with a triangle filter widened by the scale (antialiased), enlargement by interpolating between pixel
    /// centres. Otherwise reduction uses Lanczos-3.
    private func resize(_ input: VipsImageRef, width: Int, height: Int, bilinear: Bool,
                        name: String) throws(ImagingError) -> VipsImageRef {
        var image = input
        var hscale = Double(width) / Double(image.width), vscale = Double(height) / Double(image.height)
        if hscale < 1 || vscale < 1 {
            // Reduce the shrinking axes (an enlarging axis is left at scale 1 and handled below).
            let (h, v) = (min(hscale, 1), min(vscale, 1))
            let kernel = bilinear ? VIPS_KERNEL_LINEAR : VIPS_KERNEL_LANCZOS3
            let gap = bilinear ? 0.0 : 2.0
            image = try image.apply("resize", file: name) { curio_vips_resize($0, $1, h, v, kernel, gap) }
            hscale = Double(width) / Double(image.width)
            vscale = Double(height) / Double(image.height)
        }
        if image.width != width || image.height != height {
            let (h, v) = (max(hscale, 1), max(vscale, 1))
            image = try image.apply("enlarge", file: name) {
                curio_vips_upscale_bilinear($0, $1, h, v, Int32(width), Int32(height))
            }
        }
        return image
    }

    /// Converts any supported colour space and depth to sRGB (alpha kept).
    private func toSRGB(_ input: VipsImageRef, name: String) throws(ImagingError) -> VipsImageRef {
        var image = input
        if colourProfiles == .apply, image.hasICCProfile {
            // Apply the embedded profile (Adobe RGB, ProPhoto, CMYK, ...). A broken profile falls back to the
            // plain conversion below rather than failing the image.
            var out: UnsafeMutablePointer<VipsImage>?
            if curio_vips_icc_to_srgb(image.pointer, &out) == 0, let converted = out {
                image = VipsImageRef(converted)
            } else {
                _ = VipsRuntime.takeError(fallback: "")
            }
        }
        // Tag images whose interpretation libvips cannot route (e.g. plain multiband) by their band count and depth.
        let sixteen = image.format == VIPS_FORMAT_USHORT
        let colourBands = image.bands - (image.hasAlpha ? 1 : 0)
        let known: [VipsInterpretation] = [VIPS_INTERPRETATION_sRGB, VIPS_INTERPRETATION_RGB16,
                                  VIPS_INTERPRETATION_B_W, VIPS_INTERPRETATION_GREY16,
                                  VIPS_INTERPRETATION_CMYK, VIPS_INTERPRETATION_LAB,
                                  VIPS_INTERPRETATION_XYZ, VIPS_INTERPRETATION_scRGB,
                                  VIPS_INTERPRETATION_LABS, VIPS_INTERPRETATION_LCH,
                                  VIPS_INTERPRETATION_CMC, VIPS_INTERPRETATION_HSV,
                                  VIPS_INTERPRETATION_YXY]
        if !known.contains(image.interpretation) {
            let tag: VipsInterpretation
            switch (colourBands >= 3, sixteen) {
            case (true, false): tag = VIPS_INTERPRETATION_sRGB
            case (true, true): tag = VIPS_INTERPRETATION_RGB16
            case (false, false): tag = VIPS_INTERPRETATION_B_W
            case (false, true): tag = VIPS_INTERPRETATION_GREY16
            }
            image = try image.apply("tag interpretation", file: name) { curio_vips_set_interpretation($0, $1, tag) }
        }
        if image.interpretation != VIPS_INTERPRETATION_sRGB || image.format != VIPS_FORMAT_UCHAR {
            image = try image.apply("convert to sRGB", file: name) {
                curio_vips_colourspace($0, $1, VIPS_INTERPRETATION_sRGB)
            }
        }
        if image.format == VIPS_FORMAT_USHORT {
            image = try image.apply("reduce to 8 bits", file: name) { curio_vips_rshift($0, $1, 8) }
        }
        return image
    }

    private func pixels(of image: VipsImageRef, name: String) throws(ImagingError) -> RGBImage {
        var length = 0
        guard let buffer = vips_image_write_to_memory(image.pointer, &length) else {
            throw .cannotDecode(file: name, reason: VipsRuntime.takeError(fallback: "cannot read decoded pixels"))
        }
        defer { g_free(buffer) }
        let (width, height) = (image.width, image.height)
        guard length == width * height * 3 else {
            throw .cannotDecode(file: name, reason: "decoded \(length) bytes for \(width)×\(height) RGB")
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: buffer, count: length))
        guard let result = RGBImage(width: width, height: height, pixels: bytes) else { throw .empty(file: name) }
        return result
    }
}

/// What an image file declares about itself, read without decoding pixels.
public struct ImageHeader: Sendable, Hashable {
    /// The detected format.
    public let format: ImageFormat
    /// Width once turned upright by the EXIF orientation.
    public let width: Int
    /// Height once turned upright by the EXIF orientation.
    public let height: Int
    /// Number of bands in the file, alpha included.
    public let bands: Int
    /// Whether the image has a transparency band.
    public let hasAlpha: Bool
}
