import CLibXML2

/// XML written straight into a libxml2 buffer: markup the caller knows to be well formed appended as it is,
/// and attribute values escaped by libxml2's own serializer (`xmlAttrSerializeTxtContent`, what its text writer
/// calls for every attribute value, with a UTF-8 document as the writer has), so the bytes are the text
/// writer's. For the element a large run writes once a case, a passing case's `<testcase>`: the text writer's
/// bookkeeping (a call, a list walk and a buffer append for every name, quote and indent) was 55,000
/// instructions a case of the 66,000 the element cost (docs/benchmarks.md, session 15).
final class XMLFragment {
  private let buffer: xmlBufferPtr
  /// A document whose encoding is UTF-8: values keep their UTF-8 bytes rather than becoming `&#x…;` references.
  private let document: xmlDocPtr
  /// Whether an append failed since the last ``take()`` (libxml2 could not grow the buffer).
  private var failed = false

  /// An empty fragment.
  /// - Throws: ``XMLWriter/Failure`` when libxml2 cannot allocate.
  init() throws {
    guard let buffer = xmlBufferCreate() else {
      throw XMLWriter.Failure(description: "libxml2: cannot allocate a buffer")
    }
    guard let document = xmlNewDoc(nil) else {
      xmlBufferFree(buffer)
      throw XMLWriter.Failure(description: "libxml2: cannot allocate a document")
    }
    document.pointee.encoding = UnsafePointer(xmlCharStrdup("UTF-8"))
    self.buffer = buffer
    self.document = document
  }

  deinit {
    xmlFreeDoc(document)
    xmlBufferFree(buffer)
  }

  /// Appends `text` as it is (markup: names, `="`, indentation).
  func markup(_ text: StaticString) {
    if xmlBufferAdd(buffer, text.utf8Start, Int32(text.utf8CodeUnitCount)) != 0 { failed = true }
  }

  /// Appends `text` escaped as an attribute value between double quotes (`&`, `<`, `>`, `"`, tab, line feed and
  /// carriage return as references), as the text writer writes it: up to a NUL, as C strings end.
  func value(_ text: String) {
    let before = xmlBufferLength(buffer)
    text.withCString {
      xmlAttrSerializeTxtContent(buffer, document, nil, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self))
    }
    // The serializer says nothing when it cannot grow the buffer; a value it wrote nothing of, not empty, failed.
    if xmlBufferLength(buffer) == before, text.utf8.first.map({ $0 != 0 }) == true { failed = true }
  }

  /// The bytes written since the last call; the fragment is empty again.
  /// - Throws: ``XMLWriter/Failure`` when an append failed since the last call (the bytes are not whole).
  func take() throws -> [UInt8] {
    defer { failed = false }
    guard !failed else {
      xmlBufferEmpty(buffer)
      throw XMLWriter.Failure(description: "libxml2: cannot grow a buffer")
    }
    let length = Int(xmlBufferLength(buffer))
    guard let content = xmlBufferContent(buffer), length > 0 else { return [] }
    let bytes = Array(UnsafeBufferPointer(start: content, count: length))
    xmlBufferEmpty(buffer)
    return bytes
  }
}
