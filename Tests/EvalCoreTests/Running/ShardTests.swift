import EvalCore
import Testing

struct ShardTests {
  @Test func everyCaseIsInExactlyOneShard() throws {
    let shards = try (1...4).map { try #require(Shard("\($0)/4")) }
    let ids = (0..<1000).map { CaseID(content: .number(Double($0))) }
    for id in ids { #expect(shards.filter { $0.contains(id) }.count == 1) }
    // Roughly even: each shard gets a quarter, give or take.
    for s in shards { #expect((200...300).contains(ids.filter(s.contains).count)) }
  }

  @Test func parsing() {
    #expect(Shard("2/4")?.description == "2/4")
    for bad in ["0/4", "5/4", "2", "a/b", "1/0", "-1/3"] { #expect(Shard(bad) == nil, "\(bad)") }
  }
}
