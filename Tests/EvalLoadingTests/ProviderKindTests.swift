import EvalCore
import EvalLoading
import Testing

/// The table of provider kinds: every known kind is described, and validation, pricing and the run's
/// warnings read what it says.
struct ProviderKindTests {
  /// A well-formed id of each kind.
  static let sampleIDs: [ProviderKind: String] = [
    .openai: "openai:chat:gpt-4o-mini", .anthropic: "anthropic:messages:claude-x", .http: "http", .echo: "echo",
    .scripted: "scripted", .exec: "exec:cat", .file: "file://provider.py", .google: "google:gemini-x",
    .vertex: "vertex:gemini-x", .llama: "llama", .huggingface: "huggingface:text-generation:gpt2",
    .replicate: "replicate:owner/model",
  ]

  static func spec(_ id: String, _ config: [String: JSONValue] = [:]) -> ProviderSpec {
    ProviderSpec(id: id, config: config, location: SourceLocation(file: "suite.yaml", line: 3, column: 5))
  }

  /// A value each config key accepts (`cost`, `rateLimit` and `url` have shapes; others are passed on).
  static func value(for key: String) -> JSONValue {
    switch key {
    case "cost": .object(["input": 1, "output": 2])
    case "rateLimit": .object(["requestsPerMinute": 60])
    default: .string("x")
    }
  }

  @Test func everyCatalogKindHasADescriptorAndEveryDescriptorIsInTheCatalog() {
    let described = ProviderCatalog.kinds.compactMap(ProviderKind.init(rawValue:))
    #expect(described.count == ProviderCatalog.kinds.count)
    #expect(Set(described) == Set(ProviderKind.allCases))
    #expect(Set(Self.sampleIDs.keys) == Set(ProviderKind.allCases))
  }

  @Test(arguments: ProviderKind.allCases)
  func aSampleIDOfTheKindIsThatKindAndValidates(kind: ProviderKind) throws {
    let spec = Self.spec(Self.sampleIDs[kind] ?? "", kind == .http ? ["url": "http://localhost:1"] : [:])
    #expect(spec.providerKind == kind)
    try ProviderCatalog.validate(spec)
  }

  @Test(arguments: ProviderKind.allCases)
  func validationAcceptsEveryListedConfigKeyAndRejectsAnUnlistedOne(kind: ProviderKind) throws {
    let id = Self.sampleIDs[kind] ?? ""
    let keys = kind.descriptor.configKeys ?? []
    var config = Dictionary(uniqueKeysWithValues: keys.map { ($0, Self.value(for: $0)) })
    if kind == .http { config["url"] = "http://localhost:1" }
    try ProviderCatalog.validate(Self.spec(id, config))
    config["notAKeyOfAnyProvider"] = "x"
    if kind.descriptor.configKeys == nil {
      try ProviderCatalog.validate(Self.spec(id, config))
    } else {
      let error = #expect(throws: Diagnostic.self) { try ProviderCatalog.validate(Self.spec(id, config)) }
      #expect(error?.message.contains("unknown config key 'notAKeyOfAnyProvider'") == true)
      #expect(error?.location?.line == 3)
    }
  }

  @Test func theBaseURLVariablesAreTheDocumentedOnes() {
    let variables = Dictionary(
      uniqueKeysWithValues: ProviderKind.allCases.compactMap { k in k.descriptor.baseURLVariable.map { (k, $0) } })
    #expect(
      variables == [
        .openai: "OPENAI_BASE_URL", .anthropic: "ANTHROPIC_BASE_URL", .google: "GOOGLE_API_BASE_URL",
        .vertex: "VERTEX_BASE_URL", .llama: "LLAMA_BASE_URL", .huggingface: "HUGGINGFACE_BASE_URL",
        .replicate: "REPLICATE_BASE_URL",
      ])
    // A kind with a base-URL variable calls the network.
    #expect(variables.keys.allSatisfy { $0.descriptor.isNetwork })
  }

  @Test func theAPIKeyVariablesAreTheDocumentedOnesAndOnlyHostedKindsHaveThem() {
    let variables = Dictionary(
      uniqueKeysWithValues: ProviderKind.allCases.map { ($0, $0.descriptor.apiKeyVariables) }
    ).filter { !$0.value.isEmpty }
    #expect(
      variables == [
        .openai: ["OPENAI_API_KEY"], .anthropic: ["ANTHROPIC_API_KEY"], .google: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
        .vertex: ["VERTEX_API_KEY"], .huggingface: ["HF_TOKEN", "HF_API_TOKEN"],
        .replicate: ["REPLICATE_API_TOKEN", "REPLICATE_API_KEY"],
      ])
    #expect(variables.keys.allSatisfy { $0.descriptor.isNetwork && $0.descriptor.baseURLVariable != nil })
  }

  @Test func offlineKindsAreTheLocalOnesAndTheModelFreeOnesCostNothing() throws {
    let offline = Set(ProviderKind.allCases.filter { !$0.descriptor.isNetwork })
    #expect(offline == [.echo, .scripted, .exec, .file])
    let table = PriceTable(["gpt-4o-mini": Price(input: 0.15, output: 0.6)])
    for kind in ProviderKind.allCases {
      let price = try ProviderCatalog.price(for: Self.spec(Self.sampleIDs[kind] ?? ""), table: table)
      switch kind.descriptor.priceLookup {
      case .free: #expect(price == Price(input: 0, output: 0), "\(kind)")
      case .modelInID:
        #expect(
          price == table.price(for: ProviderKind.requestedModel(of: Self.spec(Self.sampleIDs[kind] ?? "")) ?? ""),
          "\(kind)")
      case .none: #expect(price == nil, "\(kind)")
      }
    }
    #expect(
      try ProviderCatalog.price(for: Self.spec("openai:chat:gpt-4o-mini"), table: table)
        == table.price(for: "gpt-4o-mini"))
    #expect(offline.allSatisfy { $0.descriptor.priceLookup != .modelInID })
  }

  @Test func theRequestedModelIsTheIDsLastPartForKindsThatNameIt() {
    #expect(ProviderKind.requestedModel(of: Self.spec("openai:chat:gpt-4o-mini")) == "gpt-4o-mini")
    #expect(ProviderKind.requestedModel(of: Self.spec("openai:gpt-4o")) == "gpt-4o")
    #expect(ProviderKind.requestedModel(of: Self.spec("anthropic:messages:claude-x")) == "claude-x")
    #expect(ProviderKind.requestedModel(of: Self.spec("openai")) == nil)
    #expect(ProviderKind.requestedModel(of: Self.spec("google:gemini-x")) == nil)
    #expect(ProviderKind.requestedModel(of: Self.spec("echo")) == nil)
    #expect(ProviderKind.requestedModel(of: Self.spec("nonsense:model")) == nil)
  }

  @Test func theTokenLimitIsTheFirstSetFieldOfTheKind() {
    let both: [String: JSONValue] = ["max_tokens": 100, "max_completion_tokens": 50]
    let limit = ProviderKind.tokenLimit(of: Self.spec("openai:chat:m", both))
    #expect(limit?.field == "max_completion_tokens")
    #expect(limit?.limit == 50)
    let anthropic = ProviderKind.tokenLimit(of: Self.spec("anthropic:m", ["max_tokens": 64]))
    #expect(anthropic?.field == "max_tokens")
    #expect(anthropic?.limit == 64)
    #expect(ProviderKind.tokenLimit(of: Self.spec("openai:chat:m")) == nil)
    #expect(ProviderKind.tokenLimit(of: Self.spec("http", ["max_tokens": 64])) == nil)
  }
}
