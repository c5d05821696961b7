// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "evalgate",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "evalgate", targets: ["evalgate"]),
    .executable(name: "fake-openai-server", targets: ["fake-openai-server"]),
    .executable(name: "verdict-sim", targets: ["verdict-sim"]),
    .executable(name: "drift-sim", targets: ["drift-sim"]),
    .library(name: "EvalCore", targets: ["EvalCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
  ],
  targets: [
    // Pure core: suite model, expansion, templating, scoring, running, results. No network, no files.
    .target(
      name: "EvalCore",
      dependencies: [
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "DequeModule", package: "swift-collections"),
      ],
      swiftSettings: strict
    ),
    // Loading suites and project config from disk (Yams), with located errors.
    .target(
      name: "EvalLoading",
      dependencies: ["EvalCore", .product(name: "Yams", package: "Yams")],
      swiftSettings: strict
    ),
    // Model endpoints: OpenAI-compatible over async-http-client, exec, offline providers.
    .target(
      name: "EvalProviders",
      dependencies: [
        "EvalCore",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    // User code (javascript/python assertions, transforms) in long-lived node and python3 workers.
    .target(name: "EvalWorkers", dependencies: ["EvalCore"], swiftSettings: strict),
    // Persistent state in SQLite (GRDB): the response cache.
    .target(
      name: "EvalStore",
      dependencies: [
        "EvalCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict
    ),
    // Run history (SQLite via GRDB, PostgreSQL via postgres-nio), its spool and the audit record's inputs
    // (environment, git, file digests).
    .target(
      name: "EvalHistory",
      dependencies: [
        "EvalCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // OpenTelemetry: a run's trace (GenAI semantic conventions) exported over OTLP/HTTP protobuf.
    .target(
      name: "EvalTelemetry",
      dependencies: [
        "EvalCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    // A small OTLP/HTTP collector for tests (loopback only) that decodes what it receives.
    .target(
      name: "OTLPReceiver",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    // Report renderers: JUnit XML (libxml2), JSON, console summary.
    .target(
      name: "EvalReports",
      dependencies: ["EvalCore", "CLibXML2"],
      swiftSettings: strict
    ),
    // glibc's mallopt, for the executable's allocator settings (Linux only).
    .systemLibrary(name: "CMalloc"),
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
    ),
    // An OpenAI-compatible server for tests and benchmarks (loopback only), with fault injection.
    .target(
      name: "FakeOpenAIServer",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict
    ),
    // Test-only helpers shared by several test targets (XML well-formedness, XPath, XSD validation, threads for
    // CPU-heavy tests).
    .target(
      name: "EvalTestSupport",
      dependencies: ["CLibXML2"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "fake-openai-server",
      dependencies: [
        "FakeOpenAIServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    // The use cases behind the commands: a run's resolved plan, the planner that loads and expands it, the
    // canary's arms and the one mapping from a run's decision to the exit status. No ArgumentParser.
    .target(
      name: "EvalRun",
      dependencies: ["EvalCore", "EvalLoading", "EvalProviders", "EvalReports", "EvalWorkers"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "evalgate",
      dependencies: [
        "EvalRun", "EvalCore", "EvalLoading", "EvalProviders", "EvalReports", "EvalStore", "EvalWorkers", "EvalHistory",
        "EvalTelemetry", "CMalloc", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict
    ),
    // The verdict's false-alarm and power simulation (scripts/bench-verdict); not shipped.
    .executableTarget(name: "verdict-sim", dependencies: ["EvalCore"], swiftSettings: strict),
    // The drift detector's false-alarm and power simulation over run histories (scripts/drift-sim); not shipped.
    .executableTarget(name: "drift-sim", dependencies: ["EvalCore"], swiftSettings: strict),
    // Every assertion on 1 MB adversarial outputs (scripts/bench-assertions); not shipped.
    .executableTarget(name: "assertion-bench", dependencies: ["EvalCore"], swiftSettings: strict),
    // 1,000 javascript assertions through the node workers (scripts/bench-workers); not shipped.
    .executableTarget(name: "workers-bench", dependencies: ["EvalCore", "EvalWorkers"], swiftSettings: strict),
    .testTarget(
      name: "EvalCoreTests",
      dependencies: ["EvalCore", "EvalTestSupport"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalLoadingTests",
      dependencies: ["EvalCore", "EvalLoading", "EvalReports"],
      resources: [.copy("Fixtures")],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalProvidersTests",
      dependencies: [
        "EvalCore", "EvalProviders", "FakeOpenAIServer",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalWorkersTests",
      dependencies: ["EvalCore", "EvalWorkers"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalStoreTests",
      dependencies: ["EvalCore", "EvalStore"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalHistoryTests",
      dependencies: [
        "EvalCore", "EvalHistory", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalTelemetryTests",
      dependencies: ["EvalCore", "EvalTelemetry", "OTLPReceiver"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalReportsTests",
      dependencies: ["EvalCore", "EvalReports", "EvalTestSupport"],
      exclude: ["Snapshots"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "EvalRunTests",
      dependencies: ["EvalCore", "EvalProviders", "EvalReports", "EvalRun", "EvalTestSupport"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "evalgateTests",
      dependencies: [
        "evalgate", "EvalCore", "FakeOpenAIServer", "EvalTestSupport", "OTLPReceiver",
        .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict
    ),
  ]
)
