import EvalCore
import Foundation

/// Turns `evalgate run` paths (files or folders) into suite files.
public enum SuiteDiscovery {
  /// Suite files under `paths`: files as given, folders searched recursively for `.yaml`/`.yml`,
  /// sorted, skipping hidden and `_`-prefixed entries and YAML files whose top level is not a mapping
  /// (test lists included from suites).
  /// - Throws: ``Diagnostic`` for a path that does not exist.
  public static func files(in paths: [String]) throws -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    for path in paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
        throw Diagnostic("no such suite file or folder: '\(path)'")
      }
      if !isDir.boolValue {
        out.append(path)
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      guard let walker = fm.enumerator(atPath: base) else { continue }
      var found: [String] = []
      while let relative = walker.nextObject() as? String {
        let components = relative.split(separator: "/")
        if components.contains(where: { $0.hasPrefix(".") || $0.hasPrefix("_") }) { continue }
        let ext = (relative as NSString).pathExtension.lowercased()
        guard ext == "yaml" || ext == "yml" else { continue }
        let full = base + "/" + relative
        if (components.last.map(String.init)) == ProjectConfigLoader.defaultFile { continue }
        if SuiteLoader.looksLikeSuite(file: full) { found.append(full) }
      }
      out += found.sorted()
    }
    var seen: Set<String> = []
    return out.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
  }
}
