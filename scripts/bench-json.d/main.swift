// The JSON assertions' work (is-json and json-schema: JSONExtraction.whole then the schema; contains-json:
// JSONExtraction.embedded) on 1 MB adversarial outputs, compiled with -O (scripts/bench-json).
import Foundation

func excerpt(_ text: String, limit: Int = 60) -> String {
  let flat = text.replacingOccurrences(of: "\n", with: "\\n")
  return flat.count > limit ? "\"" + flat.prefix(limit) + "…\"" : "\"" + flat + "\""
}

let mb = 1 << 20
let inputs: [(String, String)] = [
  ("runs of [", String(repeating: "[", count: mb)),
  ("runs of {", String(repeating: "{", count: mb)),
  ("runs of \"", String(repeating: "\"", count: mb)),
  ("{\"a\": repeated", String(repeating: #"{"a":"#, count: mb / 5)),
  ("nested arrays 2^19 deep", String(repeating: "[", count: mb / 2) + String(repeating: "]", count: mb / 2)),
  ("[\" repeated", String(repeating: "[\"", count: mb / 2)),
  ("\"[ repeated", String(repeating: "\"[", count: mb / 2)),
  ("[1, repeated", String(repeating: "[1,", count: mb / 3)),
  ("unclosed fence", "```json\n" + String(repeating: "[", count: mb)),
  ("many fences", String(repeating: "```json\n[1,\n```\n", count: mb / 16)),
  ("escapes in strings", String(repeating: #"["\"[\\"#, count: mb / 6)),
  (
    "valid 1 MB array",
    "[" + Array(repeating: #"{"a": "xxxxxxxx", "b": 12345}"#, count: mb / 32).joined(separator: ",") + "]"
  ),
]
let schema: JSONValue = ["type": "object", "properties": ["a": ["type": "string", "minLength": 1]]]
let validator = try JSONSchemaValidator(schema: schema)
let runs = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 5

func best(_ work: () -> Void) -> Double {
  var times: [Double] = []
  for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    work()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  return times.min() ?? 0
}

print("| input (1 MiB) | is-json ms | contains-json ms | json-schema ms |")
print("|---|---|---|---|")
for (name, text) in inputs {
  let isJSON = best {
    if JSONExtraction.whole(text) == nil { _ = excerpt(String(text.prefix(41)), limit: 40) }
  }
  let containsJSON = best { _ = JSONExtraction.embedded(text) }
  let jsonSchema = best {
    if let value = JSONExtraction.whole(text) {
      _ = validator.validate(value)
    } else {
      _ = excerpt(String(text.prefix(41)), limit: 40)
    }
  }
  print(String(format: "| %@ | %.1f | %.1f | %.1f |", name, isJSON, containsJSON, jsonSchema))
}
