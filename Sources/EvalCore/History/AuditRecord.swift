import Foundation

/// Who ran what, where, with which inputs: the part of a run record a release manager asks about months
/// later. Chained by `previousHash`; `hash` covers every other field of the run record (see `AuditChain`).
public struct AuditRecord: Sendable, Hashable, Codable {
  /// The CI actor (`GITHUB_ACTOR`, `GITLAB_USER_LOGIN`, …) or the local user.
  public var actor: String?
  /// When the record was written (UTC).
  public var recordedAt: Date
  /// The git commit checked out, when in a git work tree.
  public var gitCommit: String?
  /// Whether the work tree had uncommitted changes.
  public var gitDirty: Bool?
  /// The branch, when known.
  public var branch: String?
  /// The CI job's URL, when run in CI.
  public var ciJobURL: String?
  /// The evalgate version.
  public var toolVersion: String
  /// SHA-256 (hex) of the project config, when one was read.
  public var configSHA256: String?
  /// SHA-256 (hex) of every suite file, by path.
  public var suiteSHA256: [String: String]
  /// The providers used, by label, with the models that actually answered.
  public var providers: [String: [String]]
  /// SHA-256 (hex) of results.json as written, when it was.
  public var resultsSHA256: String?
  /// The previous record's hash ("" for the first record).
  public var previousHash: String
  /// SHA-256 (hex) of this record's canonical encoding with `hash` empty.
  public var hash: String

  /// Creates an audit record; the chain fields are filled when the record is appended.
  public init(
    actor: String? = nil, recordedAt: Date, gitCommit: String? = nil, gitDirty: Bool? = nil, branch: String? = nil,
    ciJobURL: String? = nil, toolVersion: String, configSHA256: String? = nil, suiteSHA256: [String: String] = [:],
    providers: [String: [String]] = [:], resultsSHA256: String? = nil, previousHash: String = "", hash: String = ""
  ) {
    self.actor = actor
    self.recordedAt = recordedAt
    self.gitCommit = gitCommit
    self.gitDirty = gitDirty
    self.branch = branch
    self.ciJobURL = ciJobURL
    self.toolVersion = toolVersion
    self.configSHA256 = configSHA256
    self.suiteSHA256 = suiteSHA256
    self.providers = providers
    self.resultsSHA256 = resultsSHA256
    self.previousHash = previousHash
    self.hash = hash
  }
}
