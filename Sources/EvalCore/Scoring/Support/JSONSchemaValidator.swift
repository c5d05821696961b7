import Foundation

/// Validates JSON against the documented JSON Schema subset: `type`, `properties`, `required`, `items`,
/// `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`,
/// `maxLength`, `pattern`, `minItems`, `maxItems`, `additionalProperties`. Annotation keywords
/// (`$schema`, `title`, `description`, …) are ignored; any other keyword is rejected when the schema
/// is built, so a schema never passes silently because evalgate did not understand it.
public struct JSONSchemaValidator: Sendable {
  /// The schema.
  public let schema: JSONValue

  static let validationKeywords: Set<String> = [
    "type", "properties", "required", "items", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "additionalProperties",
  ]
  static let annotationKeywords: Set<String> = [
    "$schema", "$id", "$comment", "title", "description", "examples", "default", "format", "readOnly", "writeOnly",
  ]
  static let typeNames: Set<String> = ["string", "number", "integer", "boolean", "object", "array", "null"]

  /// Checks the schema itself.
  /// - Throws: ``Diagnostic`` naming the first unsupported keyword or malformed part.
  public init(schema: JSONValue) throws {
    try JSONSchemaValidator.check(schema, path: "#")
    self.schema = schema
  }

  private static func check(_ schema: JSONValue, path: String) throws {
    if case .bool = schema { return }
    guard case .object(let o) = schema else { throw Diagnostic("JSON schema at \(path) must be an object") }
    for key in o.keys.sorted()
    where !validationKeywords.contains(key) && !annotationKeywords.contains(key) {
      throw Diagnostic(
        "unsupported JSON Schema keyword '\(key)' at \(path)"
          + Suggestion.didYouMean(key, in: validationKeywords))
    }
    if let type = o["type"] {
      let names = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
      guard !names.isEmpty else { throw Diagnostic("'type' at \(path) must be a string or a list of strings") }
      for name in names where !typeNames.contains(name) {
        throw Diagnostic("unknown JSON type '\(name)' at \(path)" + Suggestion.didYouMean(name, in: typeNames))
      }
    }
    if let props = o["properties"] {
      guard case .object(let p) = props else { throw Diagnostic("'properties' at \(path) must be an object") }
      for (name, sub) in p { try check(sub, path: path + "/properties/" + name) }
    }
    if let items = o["items"] { try check(items, path: path + "/items") }
    if let extra = o["additionalProperties"] { try check(extra, path: path + "/additionalProperties") }
    if let pattern = o["pattern"]?.stringValue {
      do { _ = try Regex(pattern) } catch { throw Diagnostic("invalid 'pattern' at \(path): \(error)") }
    }
  }

  /// Every violation, each as `path: problem`; empty when valid.
  public func validate(_ value: JSONValue) -> [String] {
    var errors: [String] = []
    JSONSchemaValidator.validate(value, against: schema, path: "$", errors: &errors)
    return errors
  }

  private static func validate(_ value: JSONValue, against schema: JSONValue, path: String, errors: inout [String]) {
    if case .bool(let allowed) = schema {
      if !allowed { errors.append("\(path): not allowed") }
      return
    }
    guard case .object(let s) = schema else { return }
    if let type = s["type"] {
      let names = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
      if !names.contains(where: { matches(value, type: $0) }) {
        errors.append("\(path): expected \(names.joined(separator: " or ")), got \(value.typeName)")
        return
      }
    }
    if let options = s["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
      errors.append("\(path): \(value.canonicalJSON) is not one of \(JSONValue.array(options).canonicalJSON)")
    }
    if let constant = s["const"], !equal(constant, value) {
      errors.append("\(path): expected \(constant.canonicalJSON), got \(value.canonicalJSON)")
    }
    switch value {
    case .number, .bigInteger:
      // Integers compare exactly, however large (see JSONValue.bigInteger).
      let bounds: [(String, String, (Int) -> Bool)] = [
        ("minimum", "<", { $0 < 0 }), ("maximum", ">", { $0 > 0 }),
        ("exclusiveMinimum", "<=", { $0 <= 0 }), ("exclusiveMaximum", ">=", { $0 >= 0 }),
      ]
      for (keyword, symbol, violates) in bounds {
        if let bound = s[keyword], let order = JSONExactNumber.compare(value, bound), violates(order) {
          errors.append("\(path): \(value.canonicalJSON) \(symbol) \(keyword) \(bound.canonicalJSON)")
        }
      }
    case .string(let str):
      // JSON Schema counts code points (a flag emoji is 2, "é" written as e + U+0301 is 2).
      let length = str.unicodeScalars.count
      if let min = s["minLength"]?.numberValue, Double(length) < min {
        errors.append("\(path): length \(length) < minLength \(JSONValue.format(min))")
      }
      if let max = s["maxLength"]?.numberValue, Double(length) > max {
        errors.append("\(path): length \(length) > maxLength \(JSONValue.format(max))")
      }
      if let pattern = s["pattern"]?.stringValue, let regex = try? Regex(pattern),
        (try? regex.firstMatch(in: str)) == nil
      {
        errors.append("\(path): \(excerpt(str)) does not match pattern \(pattern)")
      }
    case .array(let items):
      if let min = s["minItems"]?.numberValue, Double(items.count) < min {
        errors.append("\(path): \(items.count) items < minItems \(JSONValue.format(min))")
      }
      if let max = s["maxItems"]?.numberValue, Double(items.count) > max {
        errors.append("\(path): \(items.count) items > maxItems \(JSONValue.format(max))")
      }
      if let itemSchema = s["items"] {
        for (i, item) in items.enumerated() {
          validate(item, against: itemSchema, path: "\(path)[\(i)]", errors: &errors)
        }
      }
    case .object(let members):
      let properties = s["properties"]?.objectValue ?? [:]
      for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
        errors.append("\(path): missing required property '\(name)'")
      }
      for key in members.keys.sorted() {
        let member = members[key] ?? .null
        if let sub = properties[key] {
          validate(member, against: sub, path: "\(path).\(key)", errors: &errors)
        } else if let extra = s["additionalProperties"] {
          if case .bool(false) = extra {
            errors.append("\(path): unexpected property '\(key)'")
          } else {
            validate(member, against: extra, path: "\(path).\(key)", errors: &errors)
          }
        }
      }
    default:
      break
    }
  }

  private static func matches(_ value: JSONValue, type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("number", .number), ("number", .bigInteger), ("string", .string),
      ("array", .array), ("object", .object), ("integer", .bigInteger):
      return true
    case ("integer", .number(let n)):
      return n == n.rounded() && n.isFinite
    default:
      return false
    }
  }

  /// JSON equality: numbers compare by exact value, objects ignore key order.
  static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }
}
