/// One HTTP request as the fake server's pure part sees it: method, path, headers and body text.
public struct FakeRequest: Sendable, Equatable {
  /// The method, upper case (`GET`, `POST`).
  public var method: String
  /// The path, without the query string.
  public var path: String
  /// Header values by lower-cased name (the first value when a header repeats).
  public var headers: [String: String]
  /// The body as UTF-8 text (empty when there is none).
  public var body: String

  /// Creates a request; a query string in `uri` is dropped and header names are lower-cased.
  public init(method: String, uri: String, headers: [(name: String, value: String)] = [], body: String = "") {
    self.method = method
    self.path = uri.split(separator: "?").first.map(String.init) ?? uri
    var byName: [String: String] = [:]
    for (name, value) in headers where byName[name.lowercased()] == nil { byName[name.lowercased()] = value }
    self.headers = byName
    self.body = body
  }
}
