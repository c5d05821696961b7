import Foundation
import Testing

@testable import EvalCore

/// Every template of Tests/Corpora/templates/cases.json, rendered by nunjucks 3.2.3 with promptfoo's
/// settings (`scripts/template-reference`), renders the same with evalgate, or is refused by both.
struct TemplateCorpusTests {
  struct Corpus: Sendable {
    struct Case: Sendable {
      var template: String
      var context: Int
      var output: String?
      var error: String?
    }
    var environment: [String: String]
    var contexts: [[String: JSONValue]]
    var cases: [Case]
  }

  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Corpora/templates/cases.json")

  static let corpus: Corpus? = {
    guard let text = try? String(contentsOf: file, encoding: .utf8), let root = JSONValue.parse(text)?.objectValue
    else { return nil }
    let environment = (root["environment"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    let contexts = (root["contexts"]?.arrayValue ?? []).compactMap(\.objectValue)
    let cases = (root["cases"]?.arrayValue ?? []).compactMap { item -> Corpus.Case? in
      guard let o = item.objectValue, let template = o["template"]?.stringValue,
        let context = o["context"]?.numberValue
      else { return nil }
      return Corpus.Case(
        template: template, context: Int(context), output: o["output"]?.stringValue, error: o["error"]?.stringValue)
    }
    return Corpus(environment: environment, contexts: contexts, cases: cases)
  }()

  @Test func theCorpusIsLargeAndMostlyRenders() throws {
    let corpus = try #require(TemplateCorpusTests.corpus, "Tests/Corpora/templates/cases.json is missing")
    #expect(corpus.cases.count >= 500)
    #expect(corpus.cases.filter { $0.output != nil }.count >= 500)
  }

  @Test(arguments: 0..<(TemplateCorpusTests.corpus?.cases.count ?? 0))
  func rendersAsNunjucks(_ index: Int) throws {
    let corpus = try #require(TemplateCorpusTests.corpus)
    let item = corpus.cases[index]
    let renderer = TemplateRenderer(environment: corpus.environment)
    let vars = corpus.contexts[item.context]
    let rendered = Result { try renderer.compile(item.template).render(vars) }
    if let expected = item.output {
      #expect(
        (try? rendered.get()) == expected,
        "template \(JSONValue.quote(item.template)) with context \(item.context): \(rendered)")
    } else {
      #expect(
        (try? rendered.get()) == nil,
        "nunjucks refused \(JSONValue.quote(item.template)) (\(item.error ?? "")) but evalgate rendered \(rendered)")
    }
  }
}
