import Foundation
import Synchronization

/// Cases that run one after another because each may read what the earlier ones answered: promptfoo's
/// `options.storeOutputAs` (an output kept as a var of the later tests) and `_conversation` (the earlier
/// turns of a multi-turn test). The runner runs the cases of one ``SequenceGroup`` in order, one call at a
/// time, and renders each case's messages when its turn comes.
public struct CaseSequence: Sendable {
  /// The suite's ordered cases share one group.
  public let group: SequenceGroup
  /// The var the output is kept as, for the later cases (`options.storeOutputAs`).
  public var storeOutputAs: String?
  /// The conversation this case continues and adds to (`_conversation`), when its prompt reads one: the
  /// provider, the prompt and the test's `metadata.conversationId`.
  public var conversation: String?
  /// Renders the messages from the vars as they stand when the case's turn comes.
  let render: @Sendable ([String: JSONValue]) throws -> [ChatMessage]

  /// Creates a sequence link.
  public init(
    group: SequenceGroup, storeOutputAs: String?, conversation: String?,
    render: @escaping @Sendable ([String: JSONValue]) throws -> [ChatMessage]
  ) {
    self.group = group
    self.storeOutputAs = storeOutputAs
    self.conversation = conversation
    self.render = render
  }

  /// The vars and messages of a case whose turn has come: the stored outputs under the test's own vars,
  /// and `_conversation` when the case is part of one.
  public func prepare(vars: [String: JSONValue]) -> Result<
    (vars: [String: JSONValue], messages: [ChatMessage]), ProviderError
  > {
    var merged = group.registers.merging(vars) { _, own in own }
    if let conversation { merged["_conversation"] = .array(group.turns(of: conversation)) }
    do {
      return .success((merged, try render(merged)))
    } catch {
      return .failure(ProviderError(.configuration, "could not render the prompt: \(error)"))
    }
  }

  /// Keeps what a case answered for the cases after it.
  public func record(output: String, messages: [ChatMessage], caseID: CaseID) {
    group.record(
      caseID: caseID, messages: messages, register: storeOutputAs.map { ($0, output) },
      turn: conversation.map { key in (key, SequenceGroup.turn(messages: messages, output: output)) })
  }
}

/// What the ordered cases of one suite have answered so far.
public final class SequenceGroup: Sendable {
  struct State {
    var registers: [String: JSONValue] = [:]
    var conversations: [String: [JSONValue]] = [:]
    var sent: [CaseID: [ChatMessage]] = [:]
  }

  private let state = Mutex(State())

  /// Creates an empty group.
  public init() {}

  /// The outputs kept so far, by var name.
  public var registers: [String: JSONValue] { state.withLock { $0.registers } }

  /// The turns of a conversation so far, oldest first.
  public func turns(of conversation: String) -> [JSONValue] { state.withLock { $0.conversations[conversation] ?? [] } }

  /// The messages a case was sent when its turn came, once it has run.
  public func sentMessages(of caseID: CaseID) -> [ChatMessage]? { state.withLock { $0.sent[caseID] } }

  func record(caseID: CaseID, messages: [ChatMessage], register: (String, String)?, turn: (String, JSONValue)?) {
    state.withLock { s in
      s.sent[caseID] = messages
      if let (name, output) = register { s.registers[name] = .string(output) }
      if let (key, value) = turn { s.conversations[key, default: []].append(value) }
    }
  }

  /// One turn as promptfoo's `_conversation` holds it: `prompt` (the messages, or the text of a one-message
  /// prompt), `input` (the last user message) and `output`.
  static func turn(messages: [ChatMessage], output: String) -> JSONValue {
    let prompt: JSONValue =
      messages.count == 1 && messages[0].role == "user"
      ? .string(messages[0].content)
      : .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
    let input = messages.last { $0.role == "user" }?.content ?? messages.last?.content ?? ""
    return .object(["prompt": prompt, "input": .string(input), "output": .string(output)])
  }
}
