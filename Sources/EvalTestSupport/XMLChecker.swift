import CLibXML2
import Foundation

/// Independent checks of XML bytes with libxml2's parser, XPath and XML Schema APIs, for tests.
public enum XMLChecker {
  /// `../shared/reference/junit` beside the checkout (third-party XSDs, never copied into the project).
  public static let junitReference: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/reference/junit")

  /// True when the reference XSDs are there.
  public static var referenceAvailable: Bool {
    FileManager.default.fileExists(atPath: junitReference.appendingPathComponent("consumer-superset.xsd").path)
  }

  private static func withDocument<T>(_ bytes: [UInt8], _ body: (xmlDocPtr) -> T) -> T? {
    let doc = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { base in
        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
          xmlReadMemory($0, Int32(buffer.count), "report.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
        }
      }
    }
    guard let doc else { return nil }
    defer { xmlFreeDoc(doc) }
    return body(doc)
  }

  /// True when libxml2 parses the bytes as well-formed XML.
  public static func isWellFormed(_ bytes: [UInt8]) -> Bool { withDocument(bytes) { _ in true } ?? false }

  /// True when the document validates against the XSD file.
  public static func validates(_ bytes: [UInt8], schema name: String) -> Bool {
    let path = junitReference.appendingPathComponent(name).path
    guard let parser = xmlSchemaNewParserCtxt(path) else { return false }
    defer { xmlSchemaFreeParserCtxt(parser) }
    guard let schema = xmlSchemaParse(parser) else { return false }
    defer { xmlSchemaFree(schema) }
    guard let validator = xmlSchemaNewValidCtxt(schema) else { return false }
    defer { xmlSchemaFreeValidCtxt(validator) }
    return withDocument(bytes) { xmlSchemaValidateDoc(validator, $0) == 0 } ?? false
  }

  /// The number of nodes an XPath expression selects.
  public static func count(_ bytes: [UInt8], _ xpath: String) -> Int {
    withDocument(bytes) { doc in
      guard let context = xmlXPathNewContext(doc) else { return -1 }
      defer { xmlXPathFreeContext(context) }
      guard let result = xmlXPathEvalExpression(xpath, context) else { return -1 }
      defer { xmlXPathFreeObject(result) }
      return Int(result.pointee.nodesetval?.pointee.nodeNr ?? 0)
    } ?? -1
  }

  /// The string value of an XPath expression (e.g. `string(/a/@b)`).
  public static func string(_ bytes: [UInt8], _ xpath: String) -> String? {
    withDocument(bytes) { doc -> String? in
      guard let context = xmlXPathNewContext(doc) else { return nil }
      defer { xmlXPathFreeContext(context) }
      guard let result = xmlXPathEvalExpression(xpath, context) else { return nil }
      defer { xmlXPathFreeObject(result) }
      guard let s = result.pointee.stringval else { return nil }
      return String(cString: s)
    } ?? nil
  }
}
