import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// `http`: a team's own application or RAG endpoint. The request body is a JSON template whose strings
/// are rendered with `{{ prompt }}`, the case's vars and `{{ env.NAME }}`; the output, token counts and
/// retrieved document ids are read from the JSON response by path (`answer`, `data.0.text`,
/// `sources.*.id`).
///
/// ```yaml
/// providers:
///   - id: http
///     label: rag-service
///     config:
///       url: http://127.0.0.1:9000/answer
///       headers: { Authorization: "Bearer {{ env.RAG_TOKEN }}" }
///       body: { question: "{{ prompt }}", user: "{{ user_id }}" }
///       output: answer
///       contextIds: sources.*.id
///       promptTokens: usage.in
///       completionTokens: usage.out
/// ```
public struct HTTPProvider: Provider {
  public let label: String
  let url: String
  let method: HTTPMethod
  let headers: [String: String]
  let body: JSONValue?
  let outputPath: String?
  let contextPath: String?
  let promptTokensPath: String?
  let completionTokensPath: String?
  let renderer: TemplateRenderer
  let endpoint: JSONEndpoint
  /// `transformResponse` and the workers that run it.
  let responseTransform: (TransformSpec, any CodeRunner)?

  /// Builds from a spec.
  /// - Throws: ``Diagnostic`` for a missing or malformed `url`, or a header that does not render.
  public init(
    spec: ProviderSpec, renderer: TemplateRenderer, client: HTTPClient, redactor: Redactor = Redactor(),
    code: (any CodeRunner)? = nil
  ) throws {
    let config = spec.config
    guard let url = config["url"]?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
      throw Diagnostic("provider 'http' needs a 'url' starting with http:// or https://", at: spec.location)
    }
    label = spec.label
    self.url = url
    method = HTTPMethod(rawValue: (config["method"]?.stringValue ?? "POST").uppercased())
    var rendered: [String: String] = [:]
    for (name, value) in config["headers"]?.objectValue ?? [:] {
      do {
        rendered[name] = try renderer.render(value.plainText, vars: [:])
      } catch let d as Diagnostic {
        throw Diagnostic("header '\(name)': \(d.message)", at: spec.location)
      }
    }
    headers = rendered
    body = config["body"]
    outputPath = config["output"]?.stringValue
    contextPath = config["contextIds"]?.stringValue
    promptTokensPath = config["promptTokens"]?.stringValue
    completionTokensPath = config["completionTokens"]?.stringValue
    self.renderer = renderer
    if let transform = spec.responseTransform {
      guard let code else {
        throw Diagnostic("'transformResponse' of provider '\(spec.label)' needs the code workers", at: spec.location)
      }
      responseTransform = (transform, code)
    } else {
      responseTransform = nil
    }
    // Header values may carry tokens from the environment: scrub them from any echoed error text.
    endpoint = JSONEndpoint(
      client: client, baseURL: url,
      redactor: redactor.adding(
        rendered.values.flatMap(Redactor.credentials(inHeaderValue:)) + Redactor.credentials(inURL: url)),
      maxBodyBytes: 32 << 20, deadline: .seconds(600))
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    var http = HTTPClientRequest(url: url)
    http.method = method
    http.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { http.headers.add(name: name, value: value) }
    var vars = request.vars
    vars["prompt"] = .string(request.promptText)
    let payload: JSONValue
    do {
      payload = try renderer.render(body ?? ["prompt": "{{ prompt }}"], vars: vars)
    } catch {
      throw ProviderError(.configuration, "http body template: \(error)")
    }
    if method != .GET { http.body = .bytes(ByteBuffer(string: payload.canonicalJSON)) }
    let response = try await endpoint.send(http)
    let text = try await endpoint.text(of: response)
    guard (200..<300).contains(response.status.code) else { throw endpoint.failure(response, body: text) }
    if let (transform, code) = responseTransform {
      return try await transformed(text, by: transform, code: code, vars: request.vars, prompt: request.promptText)
    }
    // Without paths to read, the whole body is the output; with any (a retriever may give only
    // `contextIds`), the body must be JSON.
    guard outputPath != nil || contextPath != nil || promptTokensPath != nil || completionTokensPath != nil else {
      return Completion(text: text)
    }
    guard let json = JSONValue.parse(text) else {
      throw endpoint.redact(ProviderError(.malformedResponse, "response is not JSON: \"\(text.prefix(60))\""))
    }
    let output: JSONValue
    if let outputPath {
      guard let found = HTTPProvider.values(at: outputPath, in: json).first else {
        throw ProviderError(.malformedResponse, "response has no '\(outputPath)'")
      }
      output = found
    } else {
      output = .string(text)
    }
    let count = { (path: String?) in
      path.flatMap { HTTPProvider.values(at: $0, in: json).first?.numberValue }.map { Int($0) }
    }
    let usage = Usage(promptTokens: count(promptTokensPath), completionTokens: count(completionTokensPath))
    var completion = Completion(
      text: output.plainText, usage: usage.promptTokens == nil && usage.completionTokens == nil ? nil : usage)
    completion.contextIDs = contextPath.map { HTTPProvider.values(at: $0, in: json).map(\.plainText) }
    return completion
  }

  /// The output `transformResponse` makes of a response body: promptfoo's `(json, text, context)`, returning
  /// the output, or `{output, tokenUsage?}`.
  func transformed(
    _ text: String, by transform: TransformSpec, code: any CodeRunner, vars: [String: JSONValue], prompt: String
  ) async throws -> Completion {
    let context: JSONValue = .object(["vars": .object(vars), "prompt": .object(["raw": .string(prompt)])])
    let call = CodeCall(
      language: transform.language, source: transform.source, defaultFunction: "get_transform",
      arguments: [JSONValue.parse(text) ?? .null, .string(text), context], parameters: ["json", "text", "context"])
    switch await code.call(call) {
    case .failure(let e):
      throw ProviderError(e.kind, "'transformResponse' at \(transform.location): \(e.message)")
    case .success(let value):
      if case .object(let o)? = value, o["output"] != nil {
        return try CodeProvider.completion(from: value)
      }
      switch TransformSpec.output(from: value) {
      case .success(let output): return Completion(text: output)
      case .failure(let e):
        throw ProviderError(e.kind, "'transformResponse' at \(transform.location): \(e.message)")
      }
    }
  }

  /// The values at a dotted path; `*` steps into every element of a list.
  static func values(at path: String, in json: JSONValue) -> [JSONValue] {
    var current = [json]
    for component in path.split(separator: ".") {
      current = current.flatMap { value -> [JSONValue] in
        if component == "*" { return value.arrayValue ?? value.objectValue.map { Array($0.values) } ?? [] }
        return value.value(atPath: [component]).map { [$0] } ?? []
      }
    }
    return current
  }
}

/// The `http` provider's path lookup, for tests and other providers.
public enum HTTPProviderPaths {
  /// The values at a dotted path with `*` for every element.
  public static func values(_ path: String, _ json: JSONValue) -> [JSONValue] {
    HTTPProvider.values(at: path, in: json)
  }
}
