import Foundation

/// The language of user code in a suite: `javascript` runs in `node`, `python` in `python3`.
public enum CodeLanguage: String, Sendable, Hashable, CaseIterable {
  /// JavaScript, run by `node`.
  case javascript
  /// Python, run by `python3`.
  case python

  /// The interpreter's command name.
  public var interpreter: String { self == .javascript ? "node" : "python3" }

  /// The language of a code file, by its extension: `.py` is Python, anything else JavaScript.
  public static func of(file path: String) -> CodeLanguage {
    (path as NSString).pathExtension.lowercased() == "py" ? .python : .javascript
  }
}

/// Where a piece of user code lives: inline text (an expression, or a function body with `return`), or a
/// function in a file (`file://path.js:name`; without a name, the module's export or a default name).
public enum CodeSource: Sendable, Hashable {
  /// Code written in the suite.
  case inline(String)
  /// A function in a file: an absolute path once loaded, and the function's name when one is given.
  case file(path: String, function: String?)

  /// The file extensions a `file://` reference to code may have (TypeScript runs where node strips types).
  public static let codeExtensions: Set<String> = ["js", "cjs", "mjs", "ts", "mts", "cts", "py"]

  /// Reads `file://path[:function]`, or inline code for anything else.
  public static func parse(_ text: String) -> CodeSource {
    guard text.hasPrefix("file://") else { return .inline(text) }
    let rest = String(text.dropFirst("file://".count))
    if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
      let path = String(rest[..<colon])
      let ext = (path as NSString).pathExtension.lowercased()
      if codeExtensions.contains(ext) {
        let name = String(rest[rest.index(after: colon)...])
        return .file(path: path, function: name.isEmpty ? nil : name)
      }
    }
    return .file(path: rest, function: nil)
  }

  /// The `file://` text of this source (inline code as it is).
  public var text: String {
    switch self {
    case .inline(let code): return code
    case .file(let path, let function): return "file://" + path + (function.map { ":" + $0 } ?? "")
    }
  }
}

/// One call of user code: which function, and its arguments as JSON.
public struct CodeCall: Sendable, Hashable {
  /// The language (which worker pool runs it).
  public var language: CodeLanguage
  /// The code.
  public var source: CodeSource
  /// The function a Python file is asked for when its reference names none (`get_assert`,
  /// `get_transform`); a JavaScript file's export is used as it is.
  public var defaultFunction: String?
  /// The arguments, in order (promptfoo's `output, context`).
  public var arguments: [JSONValue]
  /// The names inline code sees its arguments by (`output, context` when `nil`; `json, text, context`
  /// for `transformResponse`).
  public var parameters: [String]?
  /// For an object-like export (a JavaScript provider class or object): the method called, such as
  /// `callApi`. A class is instantiated once per worker with ``construct`` and kept.
  public var method: String?
  /// The constructor's argument for a class export (promptfoo's provider options `{id, label, config}`).
  public var construct: JSONValue?
  /// Only load the file and find the function (or class), without calling it: the check made before a run
  /// that a provider's module imports.
  public var loadOnly = false
  /// Runs in a worker started with the run's whole environment, keys included: a code provider's call (and
  /// its load check), which calls an endpoint with the user's credentials as promptfoo's providers do. Other
  /// code (assertions, transforms, prompt functions, hooks) runs in workers that get only `PATH`, `HOME`,
  /// `LANG` and the suite's variables.
  public var withCredentials = false

  /// Creates a call.
  public init(
    language: CodeLanguage, source: CodeSource, defaultFunction: String? = nil, arguments: [JSONValue],
    parameters: [String]? = nil
  ) {
    self.language = language
    self.source = source
    self.defaultFunction = defaultFunction
    self.arguments = arguments
    self.parameters = parameters
  }
}

/// Runs user code (code assertions, transforms) somewhere outside the pure core: the run supplies it, in
/// practice long-lived `node` and `python3` workers (EvalWorkers).
public protocol CodeRunner: Sendable {
  /// The function's return value as JSON (`nil` when it returned nothing, `undefined` or `None`), or the
  /// typed failure: it threw (`process`), took too long (`timeout`), its worker died (`process`), or no
  /// interpreter is available (`configuration`). Never hangs past the runner's per-call timeout.
  func call(_ call: CodeCall) async -> Result<JSONValue?, ProviderError>
}
