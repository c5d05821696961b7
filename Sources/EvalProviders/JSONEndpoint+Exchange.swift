import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

extension JSONEndpoint {
  /// Sends `body` (or nothing, for a GET) to `url` and reads the JSON answer; a non-2xx status, a broken body
  /// or an answer that is not JSON becomes a typed, redacted error.
  func exchange(
    _ url: String, method: HTTPMethod = .POST, body: JSONValue? = nil, headers: [(String, String)] = []
  ) async throws -> JSONValue {
    var http = HTTPClientRequest(url: url)
    http.method = method
    http.headers.add(name: "Accept", value: "application/json")
    if let body {
      http.headers.add(name: "Content-Type", value: "application/json")
      http.body = .bytes(ByteBuffer(string: body.canonicalJSON))
    }
    for (name, value) in headers { http.headers.add(name: name, value: value) }
    let response = try await send(http)
    let text = try await self.text(of: response)
    guard (200..<300).contains(response.status.code) else { throw failure(response, body: text) }
    guard let value = JSONValue.parse(text) else {
      throw redact(ProviderError(.malformedResponse, "response is not JSON: \"\(text.prefix(60))\""))
    }
    return value
  }
}
