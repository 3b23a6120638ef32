// swift-tools-version: 6.1
import PackageDescription

// Modules follow the data flow; dependencies point one way only:
// CellarCore ← LogQL ← CellarStore ← CellarIngest/CellarQuery ← CellarMetrics/CellarRuler ← CellarServer ← logcellar.
let package = Package(
    name: "LogCellar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "logcellar", targets: ["logcellar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.2.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System C libraries, reached through module maps.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", providers: [.apt(["libsnappy-dev"])]),
        // glibc's malloc.h (mallopt, malloc_trim), which the Glibc module does not expose.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        .target(name: "CellarCore"),
        .target(name: "CellarCompression", dependencies: ["CellarCore", "CZlib", "CSnappy"]),
        .target(name: "LogQL", dependencies: ["CellarCore"]),
        .target(name: "LogPipeline", dependencies: ["CellarCore", "LogQL", "CPCRE2"]),
        .target(name: "CellarStore", dependencies: [
            "CellarCore", "CellarCompression",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "CellarIngest", dependencies: [
            "CellarCore", "CellarCompression", "LogQL", "LogPipeline",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "CellarPipelines", dependencies: [
            "CellarCore", "LogQL", "LogPipeline",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "CellarQuery", dependencies: ["CellarCore", "LogQL", "LogPipeline", "CellarStore"]),
        .target(name: "CellarRuler", dependencies: [
            "CellarCore", "LogQL", "CellarQuery",
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "CellarServer", dependencies: [
            "CellarCore", "CellarCompression", "LogQL", "LogPipeline", "CellarStore", "CellarIngest", "CellarPipelines", "CellarQuery", "CellarRuler", "CMalloc",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "CellarClient", dependencies: [
            "CellarCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "CellarBench", dependencies: [
            "CellarCore", "CellarClient", "CellarIngest", "CellarCompression",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ]),
        .executableTarget(name: "logcellar", dependencies: [
            "CellarServer", "CellarClient", "CellarBench", "CellarPipelines", "CellarRuler",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "CellarCoreTests", dependencies: ["CellarCore", "CellarCompression"]),
        .testTarget(name: "LogQLTests", dependencies: ["LogQL"]),
        .testTarget(name: "LogPipelineTests", dependencies: ["LogPipeline"]),
        .testTarget(name: "CellarStoreTests", dependencies: ["CellarStore"]),
        .testTarget(name: "CellarIngestTests", dependencies: ["CellarIngest", "CellarCompression"]),
        .testTarget(name: "CellarPipelinesTests", dependencies: ["CellarPipelines", "LogQL", "LogPipeline", "CellarBench"]),
        .testTarget(name: "CellarQueryTests", dependencies: ["CellarQuery", "CellarIngest"]),
        .testTarget(name: "CellarRulerTests", dependencies: [
            "CellarRuler", "CellarQuery", "CellarStore", "LogQL", "CellarBench",
            .product(name: "Yams", package: "Yams"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "CellarBenchTests", dependencies: ["CellarBench", "CellarCore", "CellarIngest"]),
        .testTarget(name: "CellarServerTests", dependencies: [
            "CellarServer", "CellarClient", "CellarCompression",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            "LogQL",
        ]),
    ]
)
