// swift-tools-version:6.0
//
// Curio — a multimodal recommendation engine for cultural heritage.
//
// Module layering (top depends on bottom, never the other way):
//
//   curio (CLI) ── CurioServer ── CurioKit ── CurioRecommend / CurioNeural / CurioImaging / CurioIngest / CurioStore
//                                                   │
//                                              CurioMath ── CurioCore
//
// Each C library is wrapped once: CSQLite (CurioStore only), CBLAS (CurioMath only),
// CMicroHTTPD + CCurioHTTP (CurioServer only), CVips + CCurioVips (CurioImaging only),
// CZlib (CurioCompression only).
import PackageDescription

let package = Package(
    name: "Curio",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "curio", targets: ["curio"]),
        .library(name: "CurioKit", targets: ["CurioKit"]),
        .library(name: "CurioCore", targets: ["CurioCore"]),
    ],
    targets: [
        // MARK: C system libraries (Debian packages), one shim each.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        // CVips uses a project-local .pc file (see Sources/CVips/curio-vips.pc): the system vips.pc drags in -pthread,
        // which SwiftPM reports as a prohibited flag on every build.
        .systemLibrary(name: "CVips", pkgConfig: Context.packageDirectory + "/Sources/CVips/curio-vips.pc",
                       providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Fixed-arity C wrappers around variadic C APIs that Swift cannot call.
        .target(name: "CCurioHTTP", dependencies: ["CMicroHTTPD"]),
        .target(name: "CCurioVips", dependencies: ["CVips"]),

        // MARK: Swift modules.
        .target(name: "CurioCore"),
        .target(name: "CurioMath", dependencies: ["CurioCore", "CBLAS"]),
        .target(name: "CurioCompression", dependencies: ["CZlib"]),
        // One strict, fast JSON reader and value type for every module that reads JSON field by field.
        .target(name: "CurioJSON"),
        .target(name: "CurioStore", dependencies: ["CurioCore", "CSQLite"]),
        .target(name: "CurioIngest", dependencies: ["CurioCore", "CurioStore", "CurioCompression", "CurioJSON"]),
        // The neural kernels run ~30x slower unoptimised, and the tests run the real model: optimise this module
        // in debug builds too (remove the setting to step through it in a debugger).
        .target(name: "CurioNeural", dependencies: ["CurioCore", "CurioMath", "CurioCompression", "CurioNeuralAVX512"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // GELU, softmax and LayerNorm over 16-lane vectors, compiled for AVX-512 (the -Xcc flags set the Swift code
        // generator's target features; x86-64 Linux only — elsewhere the module is empty). CurioNeural calls it only
        // on CPUs that have these features.
        .target(name: "CurioNeuralAVX512",
                swiftSettings: [.unsafeFlags(["-Xcc", "-mavx512f", "-Xcc", "-mavx512dq", "-Xcc", "-mavx512bw",
                                              "-Xcc", "-mavx512vl", "-Xcc", "-mfma"], .when(platforms: [.linux])),
                                .unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "CurioImaging", dependencies: ["CurioCore", "CCurioVips", "CVips"]),
        .target(name: "CurioRecommend", dependencies: ["CurioCore", "CurioMath"]),
        // Image→text projection (contrastive, trained in Swift) and fusion of text, image and graph vectors.
        // Optimised in debug builds too: the tests train a real projection.
        .target(name: "CurioMultimodal", dependencies: ["CurioCore", "CurioMath"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "CurioGraph", dependencies: ["CurioCore", "CurioMath", "CurioCompression", "CurioRecommend"]),
        .target(name: "CurioPolicy", dependencies: ["CurioCore", "CurioMath", "CurioJSON"]),
        .target(name: "CurioDialogue", dependencies: ["CurioCore"]),
        .target(name: "CurioVisits", dependencies: ["CurioCore", "CurioMath", "CurioRecommend", "CurioJSON"]),
        .target(name: "CurioKit", dependencies: [
            "CurioCore", "CurioMath", "CurioStore", "CurioIngest", "CurioNeural", "CurioImaging", "CurioRecommend",
            "CurioGraph", "CurioVisits", "CurioPolicy", "CurioDialogue", "CurioMultimodal",
        ]),
        .target(name: "CurioServer", dependencies: ["CurioKit", "CurioCore", "CurioStore", "CurioJSON", "CCurioHTTP", "CMicroHTTPD",
                                                    "CurioRecommend", "CurioGraph", "CurioPolicy", "CurioVisits", "CurioDialogue",
                                                    "CurioMultimodal"]),
        .executableTarget(name: "curio", dependencies: ["CurioKit", "CurioServer", "CurioCore", "CurioStore", "CurioIngest", "CurioJSON",
                                                        "CurioNeural", "CurioRecommend", "CurioGraph", "CurioPolicy", "CurioVisits",
                                                        "CurioDialogue", "CurioMultimodal", "CurioMath"]),
        // A plain Tate ingest through the library: child process of the ingest crash test, Curio side of Benchmarks/ingest.sh.
        .executableTarget(name: "curio-ingest-helper", dependencies: ["CurioIngest", "CurioStore"]),
        // Swift side of `make bench`: one subcommand per benchmark (see Benchmarks/CurioBench/main.swift).
        .executableTarget(name: "curio-bench", dependencies: ["CurioKit", "CurioNeural", "CurioImaging", "CurioMath",
                                                              "CurioCore", "CurioMultimodal"],
                          path: "Benchmarks/CurioBench"),
        // Serving, policy and exposure numbers on a prepared database (Benchmarks/policy.sh).
        .executableTarget(name: "curio-bench-serving", dependencies: ["CurioKit", "CurioPolicy", "CurioCore"],
                          path: "Benchmarks/ServingBench"),
        // Benchmark driver for the knowledge graph (Benchmarks/graph.sh).
        .executableTarget(name: "curio-graph-bench",
                          dependencies: ["CurioGraph", "CurioRecommend", "CurioIngest", "CurioCore", "CurioMath"],
                          path: "Benchmarks/GraphBench"),

        // MARK: Benchmark drivers (run by Benchmarks/*.sh, not shipped).
        .executableTarget(name: "curio-bench-recommend",
                          dependencies: ["CurioRecommend", "CurioMath", "CurioCore", "CurioCompression"],
                          path: "Benchmarks/RecommendBench"),

        // The conversational guide's numbers (run by Benchmarks/dialogue.sh).
        .executableTarget(name: "curio-bench-dialogue", dependencies: ["CurioKit", "CurioDialogue", "CurioStore", "CurioCore"],
                          path: "Benchmarks/DialogueBench"),
        // Benchmarks (run by Benchmarks/visits.sh).
        .executableTarget(name: "curio-bench-visits", dependencies: ["CurioVisits", "CurioRecommend", "CurioIngest", "CurioMath", "CurioCore"],
                          path: "Benchmarks/VisitsBench"),

        // MARK: Tests (Swift Testing).
        .testTarget(name: "CurioCoreTests", dependencies: ["CurioCore"]),
        .testTarget(name: "CurioJSONTests", dependencies: ["CurioJSON"]),
        .testTarget(name: "CurioMathTests", dependencies: ["CurioMath"]),
        .testTarget(name: "CurioCompressionTests", dependencies: ["CurioCompression"]),
        .testTarget(name: "CurioStoreTests", dependencies: ["CurioStore", "CurioCore"]),
        .testTarget(name: "CurioIngestTests", dependencies: ["CurioIngest", "CurioStore", "CurioCore", "CurioJSON", "curio-ingest-helper"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CurioNeuralTests", dependencies: ["CurioNeural", "CurioNeuralAVX512", "CurioMath", "CurioCore", "CurioCompression"],
                    exclude: ["Fixtures"]),
        // CurioNeural only for the end-to-end check that the model preprocessing reproduces the reference.
        .testTarget(name: "CurioImagingTests", dependencies: ["CurioImaging", "CurioCore", "CurioNeural"], exclude: ["Fixtures"]),
        .testTarget(name: "CurioMultimodalTests", dependencies: ["CurioMultimodal", "CurioMath", "CurioCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CurioRecommendTests", dependencies: ["CurioRecommend", "CurioMath", "CurioCore"]),
        .testTarget(name: "CurioGraphTests", dependencies: ["CurioGraph", "CurioMath", "CurioCore", "CurioRecommend", "CurioIngest"]),
        .testTarget(name: "CurioVisitsTests", dependencies: ["CurioVisits", "CurioRecommend", "CurioIngest", "CurioMath", "CurioCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CurioPolicyTests", dependencies: ["CurioPolicy", "CurioCore"]),
        .testTarget(name: "CurioDialogueTests", dependencies: ["CurioDialogue", "CurioCore"]),
        .testTarget(name: "CurioKitTests", dependencies: ["CurioKit", "CurioCore", "CurioStore", "CurioVisits", "CurioDialogue",
                                                         "CurioCompression", "CurioNeural", "CurioIngest"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CurioServerTests", dependencies: ["CurioServer", "CurioKit", "CurioCore", "CurioStore", "CurioVisits", "CurioJSON"]),
    ]
)
