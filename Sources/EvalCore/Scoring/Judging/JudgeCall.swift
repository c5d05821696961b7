/// Asks a judge model: the judge provider's key, the messages and the sample index (judge repeats: each
/// index is its own cached answer); the reply's text, or the typed error of the call. The runner supplies
/// it, so judge calls go through the same breaker, pacing, timeout, retries and response cache as every
/// other call.
public typealias JudgeCall =
  @Sendable (_ providerKey: String, _ messages: [ChatMessage], _ sample: Int) async -> Result<String, ProviderError>
