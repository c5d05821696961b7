import EvalCore
import Foundation
import Yams

/// Prompts in every form promptfoo accepts: inline text, `file://` paths (with wildcards), bare relative
/// paths with a prompt extension, `{id: file://…, label}`, `{id, label, raw}`, chat message lists, and the
/// legacy mapping `path: label`.
extension SuiteLoader {
  /// Extensions that make a bare string a prompt file path, as in promptfoo.
  static let promptExtensions: Set<String> = [
    "txt", "md", "j2", "json", "jsonl", "yaml", "yml", "csv", "js", "cjs", "mjs", "ts", "mts", "cts", "py",
  ]
  /// Extensions of prompt functions (code).
  static let codeExtensions: Set<String> = ["js", "cjs", "mjs", "ts", "mts", "cts", "py", "rb", "go", "sh"]

  /// The `prompts:` value: a list, one entry, or the legacy mapping of paths to labels.
  func prompts(_ node: YAMLNode, context: inout Context) throws -> [PromptTemplate] {
    var out: [PromptTemplate] = []
    var problems: [Diagnostic] = []
    if case .mapping = node.node {
      let m = try node.mapping("'prompts'")
      for entry in m.entries {
        SuiteLoader.collect(&problems) {
          let label = try entry.value.string("a prompt label")
          let reference = entry.key.hasPrefix("file://") ? entry.key : "file://" + entry.key
          out += try promptFile(reference, at: entry.keyNode, context: &context).map { p in
            PromptTemplate(id: p.id, label: label, body: p.body, location: p.location)
          }
        }
      }
    } else {
      for item in node.listOrSingle() {
        SuiteLoader.collect(&problems) { out += try prompt(item, context: &context) }
      }
    }
    if problems.count == 1 { throw problems[0] }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    return out
  }

  /// True when a bare prompt string is a path, as promptfoo reads it: one line, no spaces, and a prompt
  /// extension (wildcards allowed).
  static func isBarePath(_ text: String) -> Bool {
    guard !text.isEmpty, !text.contains(where: { $0.isNewline || $0 == " " || $0 == "{" }) else { return false }
    let name = (text as NSString).lastPathComponent
    let ext = (name as NSString).pathExtension.lowercased()
    let base = ext.split(separator: ":").first.map(String.init) ?? ext
    return promptExtensions.contains(base)
  }

  func prompt(_ node: YAMLNode, context: inout Context) throws -> [PromptTemplate] {
    switch node.node {
    case .scalar:
      guard node.tagName == .str else {
        throw node.error("a prompt must be text or a 'file://' path, found \(node.kindName)")
      }
      let text = try node.string("a prompt")
      if text.hasPrefix("exec:") { return [try SuiteLoader.commandPrompt(text, label: nil, at: node)] }
      if FileSource.isReference(text) || SuiteLoader.isBarePath(text) {
        return try promptFile(text, at: node, context: &context)
      }
      return [PromptTemplate(body: .text(text), location: node.location)]
    case .mapping:
      let m = try node.mapping("a prompt")
      try m.check(allowed: SuiteLoader.promptKeys)
      // promptfoo's prompt-level `config`: merged over each provider's config for this prompt's calls.
      let config = try m["config"]?.stringMap("'config'") ?? [:]
      return try mappedPrompt(node, m, context: &context).map { p in
        var p = p
        p.config = config
        return p
      }
    case .sequence:
      return [PromptTemplate(body: .messages(try chat(node, context: &context)), location: node.location)]
    case .alias:
      throw node.error("YAML aliases are not supported here")
    }
  }

  /// A prompt mapping (`raw`, `messages`, or `id` with a `label`), without its `config`.
  func mappedPrompt(_ node: YAMLNode, _ m: YAMLMapping, context: inout Context) throws -> [PromptTemplate] {
    let id = try m["id"]?.string("'id'")
    let label = try m["label"]?.string("'label'")
    if let raw = m["raw"] {
      guard m["messages"] == nil else { throw raw.error("a prompt has either 'raw' or 'messages', not both") }
      let text = try raw.string("'raw'")
      if text.hasPrefix("exec:") {
        var p = try SuiteLoader.commandPrompt(text, label: label, at: raw)
        p.id = id
        return [p]
      }
      if FileSource.isReference(text) {
        return try promptFile(text, at: raw, context: &context).map { p in
          PromptTemplate(id: id, label: label ?? p.label, body: p.body, location: p.location)
        }
      }
      return [PromptTemplate(id: id, label: label, body: .text(text), location: node.location)]
    }
    if let messages = m["messages"] {
      return [
        PromptTemplate(
          id: id, label: label, body: .messages(try chat(messages, context: &context)), location: node.location)
      ]
    }
    // promptfoo's `{id, label}`: the id is the prompt, a path or its text.
    guard let idNode = m["id"], let id else { throw node.error("a prompt mapping needs 'raw', 'messages' or 'id'") }
    if FileSource.isReference(id) || SuiteLoader.isBarePath(id) {
      let loaded = try promptFile(id, at: idNode, context: &context)
      return loaded.enumerated().map { i, p in
        let name = label.map { loaded.count > 1 ? "\($0)#\(i + 1)" : $0 } ?? p.label
        return PromptTemplate(label: name, body: p.body, location: p.location)
      }
    }
    return [PromptTemplate(label: label, body: .text(id), location: node.location)]
  }

  /// promptfoo's `exec:<command>` prompt, run from the config's folder once per case.
  static func commandPrompt(_ text: String, label: String?, at node: YAMLNode) throws -> PromptTemplate {
    let line = String(text.dropFirst("exec:".count)).trimmingCharacters(in: .whitespaces)
    guard !line.isEmpty else { throw node.error("'exec:' needs a command, such as 'exec:./prompt.sh'") }
    let folder = (node.file as NSString).deletingLastPathComponent
    return PromptTemplate(
      label: label ?? text, body: .command(line, directory: folder.isEmpty ? "." : folder), location: node.location)
  }

  func chat(_ node: YAMLNode, context: inout Context) throws -> [MessageTemplate] {
    let items = try node.sequence("'messages'")
    guard !items.isEmpty else { throw node.error("'messages' is empty") }
    var out: [MessageTemplate] = []
    for item in items {
      let m = try item.mapping("a message")
      try m.check(allowed: ["role", "content"])
      guard let role = m["role"] else { throw item.error("a message needs a 'role'") }
      let roleName = try role.string("'role'")
      let roles = ["system", "user", "assistant", "tool", "developer"]
      guard roles.contains(roleName) else {
        throw role.error("unknown role '\(roleName)'" + Suggestion.didYouMean(roleName, in: roles))
      }
      guard let content = m["content"] else { throw item.error("a message needs 'content'") }
      let text = try content.string("'content'")
      // promptfoo reads `content: file://x` from the file.
      if FileSource.isReference(text) {
        let path = try include(text, at: content, context: &context)
        out.append(MessageTemplate(role: roleName, content: try FileSource.text(path, requestedAt: content.location)))
      } else {
        out.append(MessageTemplate(role: roleName, content: text))
      }
    }
    return out
  }

  /// The prompts of a file reference (`file://x`, or a bare path), which may hold wildcards; a code file
  /// (a prompt function) is refused.
  func promptFile(_ reference: String, at node: YAMLNode, context: inout Context) throws -> [PromptTemplate] {
    let bare = reference.hasPrefix("file://") ? String(reference.dropFirst("file://".count)) : reference
    // `file.py:function`: a prompt function.
    let name = (bare as NSString).lastPathComponent
    let ext = ((name.split(separator: ":").first.map(String.init) ?? name) as NSString).pathExtension.lowercased()
    if CodeSource.codeExtensions.contains(ext) {
      // A prompt function, called by the run's workers with {vars, provider}.
      let reference = "file://" + bare
      let source = CodeSource.parse(try codeReference(reference, at: node))
      if ext == "py", case .file(let path, nil) = source {
        // promptfoo's legacy Python prompt: the whole script, run with the context `{vars, provider}` as JSON
        // in its last argument; its standard output is the prompt (as an `exec:` prompt's).
        let folder = (node.file as NSString).deletingLastPathComponent
        let quoted = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return [
          PromptTemplate(
            label: name, body: .command("python3 " + quoted, directory: folder.isEmpty ? "." : folder),
            location: node.location)
        ]
      }
      let function = TransformSpec(
        language: ext == "py" ? .python : .javascript, source: source, location: node.location)
      return [PromptTemplate(label: name, body: .function(function), location: node.location)]
    }
    if SuiteLoader.codeExtensions.contains(ext) {
      throw node.error(
        "prompt function '\(name)' runs code evalgate does not run (only .js, .cjs, .mjs, .ts, .mts, .cts and .py)"
          + "; write the prompt as text or a chat file")
    }
    if FileGlob.isPattern(bare) {
      let pattern = try include(reference, at: node, context: &context)
      let paths = FileGlob.expand(pattern)
      guard !paths.isEmpty else { throw node.error("no file matches '\(reference)'") }
      var out: [PromptTemplate] = []
      for path in paths {
        // Absolute: `include` resolves a relative path against the suite's folder, which `path` already holds.
        let absolute = "file://" + URL(fileURLWithPath: path).standardizedFileURL.path
        out += try promptFile(absolute, at: node, context: &context)
      }
      return out
    }
    let path = try include(reference, at: node, context: &context)
    let text = try FileSource.text(path, requestedAt: node.location)
    let fileName = (path as NSString).lastPathComponent
    switch ext {
    case "json":
      // Rendered as a template, then read as a chat when it is a JSON list of messages (as promptfoo).
      let body = try inliningContentFiles(text, path: path, at: node, context: &context)
      return [PromptTemplate(label: fileName, body: .text(body), location: SourceLocation(file: path, line: 1))]
    case "yaml", "yml":
      // promptfoo reads YAML prompt files as data and renders their JSON form.
      guard let root = try YAMLNode.parse(text, file: path) else {
        throw node.error("prompt file '\(fileName)' is empty")
      }
      if case .sequence = root.node {
        return [
          PromptTemplate(label: fileName, body: .messages(try chat(root, context: &context)), location: root.location)
        ]
      }
      return [PromptTemplate(label: fileName, body: .text(try root.json().canonicalJSON), location: root.location)]
    case "jsonl":
      var out: [PromptTemplate] = []
      for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      where !line.trimmingCharacters(in: .whitespaces).isEmpty {
        out.append(
          PromptTemplate(
            label: "\(fileName)#\(out.count + 1)", body: .text(String(line)),
            location: SourceLocation(file: path, line: i + 1)))
      }
      return out
    case "csv":
      return try csvPrompts(text, path: path)
    case "md", "j2":
      return [PromptTemplate(label: fileName, body: .text(text), location: SourceLocation(file: path, line: 1))]
    default:
      return SuiteLoader.separatedPrompts(text, path: path)
    }
  }

  /// A JSON chat prompt with each `content: "file://…"` replaced by that file's text; text that is not JSON
  /// before rendering (it holds template tags) is kept as it is.
  func inliningContentFiles(_ text: String, path: String, at node: YAMLNode, context: inout Context) throws -> String {
    guard text.contains("file://"), case .array(let items)? = JSONValue.parse(text) else { return text }
    var changed = false
    var out: [JSONValue] = []
    for item in items {
      guard var message = item.objectValue, let content = message["content"]?.stringValue,
        FileSource.isReference(content)
      else {
        out.append(item)
        continue
      }
      let included = try include(content, at: YAMLNode(node: .scalar(.init(content)), file: path), context: &context)
      message["content"] = .string(try FileSource.text(included, requestedAt: SourceLocation(file: path, line: 1)))
      out.append(.object(message))
      changed = true
    }
    return changed ? JSONValue.array(out).canonicalJSON : text
  }

  /// A CSV prompt file: one prompt per row, from the `prompt` column (else the first) with an optional `label`.
  func csvPrompts(_ text: String, path: String) throws -> [PromptTemplate] {
    // promptfoo reads prompt files with csv-parse's `trim` (blanks around fields, a quoted one's included).
    let rows = try CSVTests.records(text, path: path, trim: true)
    guard let header = rows.first else { return [] }
    let fileName = (path as NSString).lastPathComponent
    let promptColumn = header.fields.firstIndex(of: "prompt")
    let labelColumn = header.fields.firstIndex(of: "label")
    var out: [PromptTemplate] = []
    for row in promptColumn == nil ? rows : Array(rows.dropFirst()) {
      let text = row.fields[safe: promptColumn ?? 0] ?? ""
      if text.isEmpty { continue }
      let label = labelColumn.flatMap { row.fields[safe: $0] }.flatMap { $0.isEmpty ? nil : $0 }
      out.append(
        PromptTemplate(
          label: label ?? "\(fileName)#\(out.count + 1)", body: .text(text),
          location: SourceLocation(file: path, line: row.line)))
    }
    return out
  }

  /// A text file: one prompt, or several separated by lines of `---` (as promptfoo).
  static func separatedPrompts(_ text: String, path: String) -> [PromptTemplate] {
    let name = (path as NSString).lastPathComponent
    var prompts: [PromptTemplate] = []
    var current: [Substring] = []
    var startLine = 1
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (i, line) in lines.enumerated() {
      if line.trimmingCharacters(in: .whitespaces) == "---" {
        prompts.append(
          PromptTemplate(
            label: name, body: .text(current.joined(separator: "\n")),
            location: SourceLocation(file: path, line: startLine)
          ))
        current = []
        startLine = i + 2
      } else {
        current.append(line)
      }
    }
    let last = current.joined(separator: "\n").trimmingCharacters(in: .newlines)
    if !last.isEmpty || prompts.isEmpty {
      prompts.append(
        PromptTemplate(label: name, body: .text(last), location: SourceLocation(file: path, line: startLine)))
    }
    if prompts.count > 1 {
      prompts = prompts.enumerated().map { i, p in
        PromptTemplate(label: "\(name)#\(i + 1)", body: p.body, location: p.location)
      }
    }
    return prompts
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
