import EvalCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `file://` references with wildcards (`*`, `?`, `[…]`), as promptfoo accepts for prompts and tests.
enum FileGlob {
  /// True when the path holds a wildcard.
  static func isPattern(_ path: String) -> Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

  /// The regular files matching `pattern` (an absolute path), sorted; folders are left out.
  static func expand(_ pattern: String) -> [String] {
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(pattern, 0, nil, &result) == 0 else { return [] }
    var out: [String] = []
    for i in 0..<Int(result.gl_pathc) {
      guard let c = result.gl_pathv[i] else { continue }
      let path = String(cString: c)
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { out.append(path) }
    }
    return out.sorted()
  }
}
