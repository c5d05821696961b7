// swift-tools-version: 6.1
import PackageDescription

#if os(Linux)
  import Glibc
#endif

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

// How `swift build -c release` builds evalgate on Linux (docs/benchmarks.md, session 10): the Swift runtime and
// Foundation linked in (no 20 shared libraries to load and bind at start), linked by the toolchain's lld
// (gold is the default) exporting no symbols, relative relocations packed where glibc can read them, and
// our own functions in sections of their own, placed in the order a run executes them (scripts/evalgate.order).
// Peak RSS at 1,000 cases 57-59 -> 44-45 MB, `--version` 10 -> 5 ms of CPU. Unsafe flags go only on targets
// outside the EvalCore library product (a product whose targets carry them cannot be a versioned dependency).
let linuxRelease = BuildSettingCondition.when(platforms: [.linux], configuration: .release)

/// Our own code, compiled a function to a section on Linux release builds so the linker can order it.
let ownCode: [SwiftSetting] = strict + [.unsafeFlags(["-Xfrontend", "-function-sections"], linuxRelease)]

/// DT_RELR (packed relative relocations) needs glibc 2.36 where the binary runs; a default build runs where
/// it was built, so the build machine's glibc decides, as in scripts/build-release.
let packRelocations: Bool = {
  #if os(Linux)
    var text = [CChar](repeating: 0, count: 64)
    guard confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count) > 0 else { return false }
    // "glibc 2.36"
    let version = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let parts = version.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
    return parts.count >= 2 && (parts[0] > 2 || (parts[0] == 2 && parts[1] >= 36))
  #else
    return false
  #endif
}()

let evalgateLinking: [LinkerSetting] = [
  .unsafeFlags(
    [
      "-static-stdlib", "-use-ld=lld", "-Xlinker", "--no-export-dynamic",
      "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/evalgate.order",
      "-Xlinker", "--no-warn-symbol-ordering",
    ] + (packRelocations ? ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] : []),
    linuxRelease
  ),
  // FoundationXML's glue to libxml2: linked in by name, as only modules compiled with -static-stdlib ask for it.
  .linkedLibrary("_CFXMLInterface", linuxRelease),
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
      swiftSettings: ownCode
    ),
    // Model endpoints: OpenAI-compatible over async-http-client, exec, offline providers.
    .target(
      name: "EvalProviders",
      dependencies: [
        "EvalCore",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: ownCode
    ),
    // User code (javascript/python assertions, transforms) in long-lived node and python3 workers.
    .target(name: "EvalWorkers", dependencies: ["EvalCore"], swiftSettings: ownCode),
    // Persistent state in SQLite (GRDB): the response cache.
    .target(
      name: "EvalStore",
      dependencies: [
        "EvalCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: ownCode
    ),
    // Run history (SQLite via GRDB, PostgreSQL via postgres-nio), its spool and the audit record's inputs
    // (environment, git, file digests).
    .target(
      name: "EvalHistory",
      dependencies: [
        "EvalCore", "EvalStore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: ownCode
    ),
    // OpenTelemetry: a run's trace (GenAI semantic conventions) exported over OTLP/HTTP protobuf.
    .target(
      name: "EvalTelemetry",
      dependencies: [
        "EvalCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: ownCode
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
      swiftSettings: ownCode
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
    // canary's arms, `run` itself (GatedRun: setup, calls, reports, baseline, decision; the terminal and the
    // history injected) and the one mapping from a run's decision to the exit status. No ArgumentParser.
    .target(
      name: "EvalRun",
      dependencies: ["EvalCore", "EvalLoading", "EvalProviders", "EvalReports", "EvalStore", "EvalWorkers", "CMalloc"],
      swiftSettings: ownCode
    ),
    .executableTarget(
      name: "evalgate",
      dependencies: [
        "EvalRun", "EvalCore", "EvalLoading", "EvalProviders", "EvalReports", "EvalStore", "EvalWorkers", "EvalHistory",
        "EvalTelemetry", "CMalloc", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: ownCode + [.unsafeFlags(["-static-stdlib"], linuxRelease)],
      linkerSettings: evalgateLinking
    ),
    // The verdict's false-alarm and power simulation (scripts/bench-verdict); not shipped.
    .executableTarget(name: "verdict-sim", dependencies: ["EvalCore"], swiftSettings: strict),
    // The drift detector's false-alarm and power simulation over run histories (scripts/drift-sim); not shipped.
    .executableTarget(name: "drift-sim", dependencies: ["EvalCore"], swiftSettings: strict),
    // Every assertion on 1 MB adversarial outputs (scripts/bench-assertions); not shipped.
    .executableTarget(name: "assertion-bench", dependencies: ["EvalCore"], swiftSettings: strict),
    // 1,000 javascript assertions through the node workers (scripts/bench-workers); not shipped.
    .executableTarget(name: "workers-bench", dependencies: ["EvalCore", "EvalWorkers"], swiftSettings: strict),
    // An HTTP client alone against an endpoint (async-http-client, or the chat provider's `PlainHTTPClient`), the
    // floor under a case's cost (scripts/bench-scale --floor); not shipped.
    .executableTarget(
      name: "http-floor",
      dependencies: [
        "EvalProviders",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict),
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
        "EvalCore", "EvalProviders", "EvalTestSupport", "FakeOpenAIServer",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
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
      dependencies: ["EvalCore", "EvalStore", "EvalHistory", .product(name: "GRDB", package: "GRDB.swift")],
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
