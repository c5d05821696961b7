import EvalCore
import Foundation

/// User code in suites: `javascript`/`python` assertion values and `options.transform`, with `file://`
/// references resolved against the file that names them (and confined to the project) at load time.
extension SuiteLoader {
  /// Assertion types whose value is code.
  static let codeTypes: Set<String> = ["javascript", "python"]
  /// Other assertion types that read a `config:` (`conversation-relevance`'s `windowSize`).
  static let configuredTypes: Set<String> = ["conversation-relevance"]

  /// `text` with a `file://path[:function]` reference made absolute; inline code as it is.
  /// - Throws: ``Diagnostic`` at `node` for a file outside the project, a missing file, or a file that is
  ///   not JavaScript or Python.
  func codeReference(_ text: String, at node: YAMLNode) throws -> String {
    guard case .file(let path, let function) = CodeSource.parse(text) else { return text }
    // Absolute: workers resolve paths against their own working directory.
    let resolved = URL(fileURLWithPath: FileSource.resolve(path, relativeTo: node.file)).standardizedFileURL.path
    try confinement?.check(resolved, reference: text, at: node.location)
    let ext = (resolved as NSString).pathExtension.lowercased()
    guard CodeSource.codeExtensions.contains(ext) else {
      throw node.error(
        "'\(text)' is not a JavaScript or Python file (.js, .cjs, .mjs, .py)"
          + (ext == "ts" ? "; TypeScript is not supported, compile it to .js" : ""))
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
      throw node.error("cannot find '\(path)' (looked for \(resolved))")
    }
    return CodeSource.file(path: resolved, function: function).text
  }

  /// `options.transform`: inline JavaScript, or a `.js`/`.py` file.
  func transform(_ node: YAMLNode) throws -> TransformSpec {
    let text = try node.string("'transform'")
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw node.error("'transform' is empty; give an expression such as 'output.trim()' or a file://path.js")
    }
    let source = CodeSource.parse(try codeReference(text, at: node))
    let language: CodeLanguage
    if case .file(let path, _) = source { language = CodeLanguage.of(file: path) } else { language = .javascript }
    return TransformSpec(language: language, source: source, location: node.location)
  }
}
