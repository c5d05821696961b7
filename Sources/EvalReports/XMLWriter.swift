import CLibXML2

/// A thin owner of libxml2's text writer writing into memory. Every C pointer stays in this file.
/// Strings must be sanitized first (see ``TextSanitizer``): libxml2 escapes `<`, `&`, `>` and quotes but
/// copies illegal control characters through.
final class XMLWriter {
  private let buffer: xmlBufferPtr
  private let writer: xmlTextWriterPtr
  private var finished = false

  /// Errors from libxml2.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  init() throws {
    guard let buffer = xmlBufferCreate() else { throw Failure(description: "libxml2: cannot allocate a buffer") }
    guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
      xmlBufferFree(buffer)
      throw Failure(description: "libxml2: cannot create a writer")
    }
    self.buffer = buffer
    self.writer = writer
    xmlTextWriterSetIndent(writer, 1)
    xmlTextWriterSetIndentString(writer, "  ")
    try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start document")
  }

  deinit {
    xmlFreeTextWriter(writer)
    xmlBufferFree(buffer)
  }

  /// Throws when `rc` says libxml2 failed; `what` is spelled only then (building it for every call was most of
  /// a `<property>` element's cost: docs/benchmarks.md, session 14).
  private func check(_ rc: Int32, _ what: @autoclosure () -> String) throws {
    if rc < 0 { throw Failure(description: "libxml2: cannot \(what())") }
  }

  func start(_ name: String) throws {
    try check(Self.xml(name) { xmlTextWriterStartElement(writer, $0) }, "start <\(name)>")
  }

  func end() throws { try check(xmlTextWriterEndElement(writer), "end element") }

  func attribute(_ name: String, _ value: String) throws {
    let rc = Self.xml(name) { n in Self.xml(value) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
    try check(rc, "write attribute \(name)")
  }

  func text(_ value: String) throws {
    try check(Self.xml(value) { xmlTextWriterWriteString(writer, $0) }, "write text")
  }

  /// `text` as the NUL-terminated UTF-8 libxml2 reads, in place for a native string (handing a `String` to an
  /// `xmlChar` pointer copied it into a new array each time: a fifth of an attribute's cost).
  private static func xml(_ text: String, _ body: (UnsafePointer<xmlChar>) -> Int32) -> Int32 {
    text.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
  }

  /// `<name attrs…>text</name>` or `<name attrs…/>` when `text` is nil.
  func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) throws {
    try start(name)
    for (k, v) in attributes { try attribute(k, v) }
    if let text { try self.text(text) }
    try end()
  }

  /// Bytes written as they are (already well-formed XML from another writer).
  func raw(_ bytes: [UInt8]) throws {
    guard !bytes.isEmpty else { return }
    let rc = bytes.withUnsafeBufferPointer { xmlTextWriterWriteRawLen(writer, $0.baseAddress, Int32($0.count)) }
    try check(rc, "write raw text")
  }

  /// What was written since the last call, removed from the buffer.
  func take() throws -> [UInt8] {
    try check(xmlTextWriterFlush(writer), "flush")
    let length = Int(xmlBufferLength(buffer))
    guard let content = xmlBufferContent(buffer), length > 0 else { return [] }
    let bytes = Array(UnsafeBufferPointer(start: content, count: length))
    xmlBufferEmpty(buffer)
    return bytes
  }

  /// Ends the document and returns its bytes.
  func finish() throws -> [UInt8] {
    if !finished {
      try check(xmlTextWriterEndDocument(writer), "end document")
      try check(xmlTextWriterFlush(writer), "flush")
      finished = true
    }
    guard let content = xmlBufferContent(buffer) else { return [] }
    let length = Int(xmlBufferLength(buffer))
    return Array(UnsafeBufferPointer(start: content, count: length))
  }
}
