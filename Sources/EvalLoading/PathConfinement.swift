import EvalCore
import Foundation

/// Where a suite may read from: the project root (the folder holding `evalgate.yaml`, else the git work
/// tree's root, else the current folder) and the folders listed under `allowPaths:` in `evalgate.yaml`.
/// Paths are compared after symbolic links are resolved, so a link inside the project that points out of
/// it is outside too; `/proc`, `/sys` and `/dev` are never read, whatever is allowed.
public struct PathConfinement: Sendable {
  /// Never read, even when allowed.
  public static let forbidden = ["/proc", "/sys", "/dev"]

  /// The project root, resolved.
  public let root: String
  /// Further folders that may be read, resolved.
  public let allowed: [String]

  /// Confines reads to `root` and `allowed` (each resolved against the current folder and symbolic links).
  public init(root: String, allowed: [String] = []) {
    self.root = PathConfinement.real(root)
    self.allowed = allowed.map(PathConfinement.real)
  }

  /// The project's confinement: its root and `allowPaths`; `nil` for a config that no loader located (built
  /// in code, as tests do), which reads what it is given.
  public init?(project: ProjectConfig) {
    guard let root = project.root else { return nil }
    self.init(root: root, allowed: project.allowPaths)
  }

  /// The project root for a config file: its folder; without one, the enclosing git work tree's root, else
  /// the current folder.
  public static func projectRoot(
    configFile: String?, currentDirectory: String = FileManager.default.currentDirectoryPath
  )
    -> String
  {
    if let configFile {
      let folder = (absolute(configFile, in: currentDirectory) as NSString).deletingLastPathComponent
      return folder.isEmpty ? "/" : folder
    }
    var dir = absolute(currentDirectory, in: "/")
    while true {
      if FileManager.default.fileExists(atPath: dir + "/.git") { return dir }
      let parent = (dir as NSString).deletingLastPathComponent
      if parent == dir || parent.isEmpty { return absolute(currentDirectory, in: "/") }
      dir = parent
    }
  }

  /// Throws unless `path` (as the suite names it in `reference`) lies inside the root or an allowed folder.
  /// - Throws: ``Diagnostic`` at `location`, naming the path and how to allow it.
  public func check(_ path: String, reference: String, at location: SourceLocation?) throws {
    let resolved = PathConfinement.real(path)
    if let device = PathConfinement.forbidden.first(where: { PathConfinement.inside(resolved, $0) }) {
      throw Diagnostic("'\(reference)' is under \(device), which evalgate never reads", at: location)
    }
    guard !([root] + allowed).contains(where: { PathConfinement.inside(resolved, $0) }) else { return }
    throw Diagnostic(
      "'\(reference)' (\(resolved)) is outside the project root '\(root)'; to read it, add its folder to "
        + "'allowPaths:' in evalgate.yaml",
      at: location)
  }

  static func inside(_ path: String, _ folder: String) -> Bool {
    folder == "/" || path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  static func absolute(_ path: String, in base: String) -> String {
    let joined = path.hasPrefix("/") ? path : base + "/" + path
    return (joined as NSString).standardizingPath
  }

  /// The absolute path with every symbolic link resolved (as far as the path exists).
  static func real(_ path: String) -> String {
    let absolute = absolute(path, in: FileManager.default.currentDirectoryPath)
    guard let resolved = realpath(absolute, nil) else {
      // Not there (yet): resolve the part that exists.
      let parent = (absolute as NSString).deletingLastPathComponent
      guard parent != absolute, !parent.isEmpty else { return absolute }
      return (real(parent) as NSString).appendingPathComponent((absolute as NSString).lastPathComponent)
    }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
