import EvalCore
import Testing

struct JSONValueTests {
  @Test func parseDistinguishesBooleansNumbersAndStrings() {
    #expect(
      JSONValue.parse(#"{"a": true, "b": 1, "c": "1", "d": null, "e": 1.5}"#)
        == ["a": true, "b": 1, "c": "1", "d": nil, "e": 1.5])
  }

  @Test func canonicalJSONSortsKeysAndEscapes() {
    let v: JSONValue = ["b": "q\"\n\u{1}", "a": [1, 2.5, false]]
    #expect(v.canonicalJSON == #"{"a":[1,2.5,false],"b":"q\"\n\u0001"}"#)
  }

  @Test func pathLookup() {
    let v: JSONValue = ["a": ["b": ["x", "y"]]]
    #expect(v.value(atPath: ["a", "b", "1"]) == "y")
    #expect(v.value(atPath: ["a", "c"]) == nil)
  }

  @Test func suggestionFindsTypos() {
    #expect(Suggestion.nearest(to: "promtps", in: ["prompts", "providers", "tests"]) == "prompts")
    #expect(Suggestion.nearest(to: "zzzzzz", in: ["prompts", "providers"]) == nil)
  }
}
