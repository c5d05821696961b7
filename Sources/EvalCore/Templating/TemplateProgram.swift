import Foundation

/// A parsed, checked template: its nodes and the variables it reads from a case's vars.
struct TemplateProgram: Sendable {
  /// A variable the template reads from the vars: where it is first read, and whether some use of it is
  /// guarded (`x | default(…)`, `x is defined`, `{% if x %}`, `x if x else …`, `x or …`, `not x`), so that its
  /// absence is expected.
  struct Use: Sendable, Hashable {
    var name: String
    var offset: Int
    var guarded: Bool
  }

  let nodes: [TemplateNode]
  /// Variables read from the vars (not `env`, nor names the template binds itself), in order of first use.
  let uses: [Use]

  /// Parses and checks `text`.
  /// - Throws: ``TemplateError`` for syntax errors and for unknown filters and tests.
  init(_ text: String, customFilters: Set<String> = []) throws(TemplateError) {
    nodes = try TemplateParser.parse(text)
    var analysis = Analysis()
    analysis.customFilters = customFilters
    analysis.collectAssigned(nodes)
    try analysis.walk(nodes, bound: [])
    uses = analysis.uses
  }

  /// Renders with `vars` and the environment (`env.NAME`).
  func render(
    _ vars: [String: JSONValue], environment: [String: String], custom: CustomFilters? = nil
  ) throws(TemplateError) -> String {
    try TemplateEvaluator.render(nodes, vars: vars, environment: environment, custom: custom)
  }

  /// Walks the nodes for variable uses, and checks filter and test names.
  private struct Analysis {
    var uses: [Use] = []
    var index: [String: Int] = [:]
    /// Names set anywhere by `{% set %}`: the template defines them itself.
    var assigned: Set<String> = []
    /// The suite's filters in code (`nunjucksFilters`).
    var customFilters: Set<String> = []

    /// Test names whose use means the author expects the value may be missing.
    static let guardingTests: Set<String> = ["defined", "undefined", "null", "truthy", "falsy"]

    mutating func collectAssigned(_ nodes: [TemplateNode]) {
      for node in nodes {
        switch node {
        case .assign(let names, _): assigned.formUnion(names)
        case .capture(let names, let body):
          assigned.formUnion(names)
          collectAssigned(body)
        case .conditional(let branches, let otherwise):
          for branch in branches { collectAssigned(branch.body) }
          collectAssigned(otherwise ?? [])
        case .loop(_, _, let body, let otherwise):
          collectAssigned(body)
          collectAssigned(otherwise ?? [])
        case .text, .output: break
        }
      }
    }

    mutating func walk(_ nodes: [TemplateNode], bound: Set<String>) throws(TemplateError) {
      for node in nodes {
        switch node {
        case .text: break
        case .output(let e): try visit(e, bound: bound, guarded: false)
        case .conditional(let branches, let otherwise):
          for branch in branches {
            try visit(branch.condition, bound: bound, guarded: true)
            try walk(branch.body, bound: bound)
          }
          try walk(otherwise ?? [], bound: bound)
        case .loop(let names, let iterable, let body, let otherwise):
          try visit(iterable, bound: bound, guarded: false)
          try walk(body, bound: bound.union(names).union(["loop"]))
          try walk(otherwise ?? [], bound: bound)
        case .assign(_, let value): try visit(value, bound: bound, guarded: false)
        case .capture(_, let body): try walk(body, bound: bound)
        }
      }
    }

    mutating func record(_ name: String, offset: Int, guarded: Bool) {
      if let i = index[name] {
        uses[i].guarded = uses[i].guarded || guarded
      } else {
        index[name] = uses.count
        uses.append(Use(name: name, offset: offset, guarded: guarded))
      }
    }

    mutating func visit(_ e: TemplateExpression, bound: Set<String>, guarded: Bool) throws(TemplateError) {
      switch e {
      case .literal: break
      case .variable(let name, let offset):
        if !bound.contains(name), !assigned.contains(name), name != "env" {
          record(name, offset: offset, guarded: guarded)
        }
      case .member(let target, let key):
        try visit(target, bound: bound, guarded: guarded)
        try visit(key, bound: bound, guarded: false)
      case .array(let items):
        for item in items { try visit(item, bound: bound, guarded: guarded) }
      case .object(let members):
        for (_, value) in members { try visit(value, bound: bound, guarded: guarded) }
      case .prefix(let op, let operand):
        try visit(operand, bound: bound, guarded: guarded || op == .not)
      case .binary(let op, let l, let r):
        try visit(l, bound: bound, guarded: guarded || op == .and || op == .or)
        try visit(r, bound: bound, guarded: guarded)
      case .floor(let operand):
        try visit(operand, bound: bound, guarded: guarded)
      case .power(let l, let r):
        try visit(l, bound: bound, guarded: guarded)
        try visit(r, bound: bound, guarded: guarded)
      case .choice(let condition, let then, let otherwise):
        try visit(condition, bound: bound, guarded: true)
        try visit(then, bound: bound, guarded: guarded)
        if let otherwise { try visit(otherwise, bound: bound, guarded: guarded) }
      case .filter(let name, let input, let arguments, let offset):
        guard TemplateFilters.names.contains(name) || customFilters.contains(name) else {
          let hint = Suggestion.didYouMean(name, in: TemplateFilters.names.sorted())
          throw TemplateError("unknown filter '\(name)'" + hint, at: offset)
        }
        try visit(input, bound: bound, guarded: guarded || name == "default" || name == "d")
        for argument in arguments { try visit(argument, bound: bound, guarded: guarded) }
      case .test(let name, let input, let arguments, let offset):
        guard TemplateIsTests.names.contains(name) else {
          let hint = Suggestion.didYouMean(name, in: TemplateIsTests.names.sorted())
          throw TemplateError("unknown test '\(name)'" + hint, at: offset)
        }
        try visit(input, bound: bound, guarded: guarded || Analysis.guardingTests.contains(name))
        for argument in arguments { try visit(argument, bound: bound, guarded: guarded) }
      case .contains(let element, let container, _):
        try visit(element, bound: bound, guarded: guarded)
        try visit(container, bound: bound, guarded: guarded)
      case .range(let arguments, _):
        for argument in arguments { try visit(argument, bound: bound, guarded: guarded) }
      }
    }
  }
}
