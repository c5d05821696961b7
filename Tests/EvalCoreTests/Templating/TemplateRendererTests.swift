import Testing

@testable import EvalCore

/// Each construct promptfoo configs use, by hand; the outputs are nunjucks 3.2.3's (checked with node), and
/// the deliberate differences from nunjucks are listed in ``deviations``.
struct TemplateRendererTests {
  static let vars: [String: JSONValue] = [
    "name": "Ada", "n": 3, "f": 1.5, "t": true, "fl": false, "nul": .null, "s": "hi", "empty": "",
    "items": ["x", "y", "z"], "nums": [3, 1, 2], "user": ["name": "ada lovelace", "age": 36, "tags": ["a", "b"]],
    "obj": ["b": 2, "a": 1], "json": #"{"tone": "calm", "n": [1, 2]}"#, "i": 0, "long": "hello world foo",
  ]
  static let renderer = TemplateRenderer(environment: ["REGION": "eu"])

  static func render(_ template: String, _ vars: [String: JSONValue] = vars) throws -> String {
    try renderer.compile(template).render(vars)
  }

  /// (template, nunjucks' output)
  static let features: [(String, String)] = [
    // Lookups.
    ("{{ name }}", "Ada"), ("{{ user.name }}", "ada lovelace"), ("{{ user['age'] }}", "36"),
    ("{{ items[0] }}{{ items[2] }}", "xz"), ("{{ user.tags[1] }}", "b"), ("{{ env.REGION }}", "eu"),
    ("{{ items.length }} {{ s.length }}", "3 2"), ("{{ missing }}|{{ missing.x }}|{{ nul.x }}", "||"),
    ("{{ loop.index }}", ""),
    // How values print.
    ("{{ n }} {{ f }} {{ 10 ** 21 }} {{ 0.1 + 0.2 }}", "3 1.5 1e+21 0.30000000000000004"),
    ("{{ t }} {{ fl }} {{ nul }}|{{ items }} {{ obj }} {{ [1, [2, 3]] }}", "true false |x,y,z [object Object] 1,2,3"),
    ("{{ 1 / 0 }} {{ -1 / 0 }} {{ 0 / 0 }} {{ 2 ** -30 }}", "Infinity -Infinity NaN 9.313225746154785e-10"),
    // Filters with arguments, chained.
    ("{{ missing | default('dflt') }}|{{ nul | default('x') }}|{{ empty | d('e', true) }}", "dflt||e"),
    ("{{ items | join(', ') }}|{{ items | join }}|{{ user.tags | join('-') | upper }}", "x, y, z|xyz|A-B"),
    (
      "{{ long | replace('o', '0') }}|{{ long | replace('o', '0', 1) }}|{{ 'ab' | replace('', '.') }}",
      "hell0 w0rld f00|hell0 world foo|.a.b."
    ),
    (
      "{{ long | truncate(9) }}|{{ long | truncate(9, true) }}|{{ long | truncate(9, false, '…') }}",
      "hello...|hello wor...|hello…"
    ),
    ("{{ 3.14159 | round(2) }} {{ 2.5 | round }} {{ -2.5 | round }} {{ 1.27 | round(1, 'floor') }}", "3.14 3 -2 1.2"),
    ("{{ obj | dump }}|{{ s | dump }}|{{ [1, 'a'] | dump }}", #"{"a":1,"b":2}|"hi"|[1,"a"]"#),
    ("{{ obj | dump(2) }}", "{\n  \"a\": 1,\n  \"b\": 2\n}"),
    ("{{ items | length }} {{ obj | length }} {{ s | length }} {{ missing | length }}", "3 2 2 0"),
    ("{{ items | first }}{{ items | last }}{{ s | first }}", "xzh"),
    (
      "{{ name | upper }} {{ name | lower }} {{ user.name | title }} {{ 'hELLO' | capitalize }}",
      "ADA ada Ada Lovelace Hello"
    ),
    ("[{{ '  a b  ' | trim }}] {{ name | safe }}", "[a b] Ada"), ("{{ (json | load).tone }}", "calm"),
    ("{{ (json | load).n | join('+') }}", "1+2"), ("{{ '42' | int + 1 }} {{ '2.5x' | float }}", "43 2.5"),
    // Tests.
    ("{{ missing is defined }} {{ name is defined }} {{ missing is not defined }}", "false true true"),
    (
      "{{ n is odd }} {{ n is divisibleby(3) }} {{ nul is none }} {{ s is string }} {{ n is number }}",
      "true true true true true"
    ),
    // Operators.
    (
      "{{ n + 1 }} {{ n - 1 }} {{ n * 2 }} {{ n / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }}",
      "4 2 6 1.5 3 -4 1 1024"
    ),
    ("{{ -n }} {{ (n + 1) * 2 }} {{ s ~ '!' }} {{ 'a' + 1 }} {{ '3' * 2 }}", "-3 8 hi! a1 6"),
    // nunjucks emits JavaScript without parentheses: ~ then + concatenates.
    ("{{ 'Item ' ~ i + 1 }} {{ 'Item ' ~ (i + 1) }} {{ missing ~ '!' }}", "Item 01 Item 1 undefined!"),
    (
      "{{ n == 3 }} {{ n != 3 }} {{ n < 4 }} {{ n > 4 }} {{ n <= 3 }} {{ n >= 4 }} {{ '3' == n }} {{ '3' === n }}",
      "true false true false true false true false"
    ),
    ("{{ t and n }} {{ fl or 'dflt' }} {{ not t }} {{ not fl and t }}", "3 dflt false true"),
    ("{{ 'x' in items }} {{ 'q' not in items }} {{ 'ell' in long }} {{ 'a' in obj }}", "true true true true"),
    ("{{ 'yes' if t else 'no' }} {{ 'yes' if fl else 'no' }} [{{ 'yes' if fl }}]", "yes no []"),
    // Tags.
    ("{% if n > 5 %}big{% elif n > 2 %}mid{% else %}small{% endif %}", "mid"),
    ("{% if fl %}a{% elseif t %}b{% endif %}", "b"),
    ("{% for x in items %}{{ loop.index }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}", "1x,2y,3z"),
    (
      "{% for x in items %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{% endfor %}",
      "032true121false210false"
    ),
    ("{% for x in items %}{{ loop.length }}{% endfor %}", "333"),
    ("{% for k, v in obj %}{{ k }}={{ v }};{% endfor %}", "a=1;b=2;"),
    ("{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in missing %}x{% else %}none{% endfor %}", "empty|none"),
    ("{% for i in range(3) %}{{ i }}{% endfor %} {{ range(1, 7, 2) }}", "012 1,3,5"),
    ("{% set x = n * 2 %}{{ x }}", "6"), ("{% set a, b = 'v' %}{{ a }}{{ b }}", "vv"),
    ("{% set total = 0 %}{% for x in nums %}{% set total = total + x %}{% endfor %}{{ total }}", "6"),
    ("{% for x in nums %}{% set last = x %}{% endfor %}[{{ last }}]", "[]"),
    ("{% set block %}Hi {{ name }}{% endset %}{{ block | upper }}", "HI ADA"),
    ("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}"),
    ("{% raw %}a{% raw %}b{% endraw %}c{% endraw %}", "a{% raw %}b{% endraw %}c"),
    ("a {# comment #}b", "a b"),
    // Whitespace control.
    ("a  {{- name -}}  b", "aAdab"), ("a \n {%- if t -%} \n b \n {%- endif -%} \n c", "abc"),
    ("x {#- c -#} y", "xy"), ("{% if t -%}\n  yes\n{%- endif %}", "yes"),
    // Strings and literals.
    (#"{{ "a\"b" }} {{ 'it\'s' }} {{ "tab\there" }}"#, "a\"b it's tab\there"),
    ("{{ {a: 1, 'b': [2]} | dump }} {{ none }}|{{ null }}|{{ true }}", #"{"a":1,"b":[2]} ||true"#),
  ]

  @Test(arguments: features)
  func rendersLikeNunjucks(_ template: String, _ expected: String) throws {
    #expect(try Self.render(template) == expected)
  }

  /// Where evalgate knowingly differs from nunjucks: (template, evalgate's output, nunjucks').
  static let deviations: [(String, String, String)] = [
    // nunjucks refuses `items.0` ("expected name as lookup value"); evalgate's templates always allowed it.
    ("{{ items.0 }}{{ user.tags.1 }}", "xb", "(error)"),
    // Two separate array literals are different objects to JavaScript; evalgate compares content.
    ("{{ [1] == [1] }}", "true", "false"),
    // evalgate's `json` filter (kept from its Stencil days) is `dump`; nunjucks has no such filter.
    ("{{ obj | json }}", #"{"a":1,"b":2}"#, "(error)"),
  ]

  @Test(arguments: deviations)
  func knownDifferences(_ template: String, _ evalgate: String, _ nunjucks: String) throws {
    #expect(try Self.render(template) == evalgate)
    #expect(evalgate != nunjucks)
  }

  /// Vars arrive as dictionaries: objects iterate with integer-like keys first, then sorted.
  @Test func objectsIterateWithIntegerKeysFirstThenSorted() throws {
    let vars: [String: JSONValue] = ["o": ["b": 1, "10": 2, "a": 3, "2": 4]]
    #expect(
      try Self.render("{% for k, v in o %}{{ k }}{% endfor %}|{{ o | dump }}", vars)
        == #"210ab|{"2":4,"10":2,"a":3,"b":1}"#)
  }

  /// (template, the start of the message, line, column)
  static let refusals: [(String, String, Int, Int)] = [
    ("Hi {{ name", "unclosed '{{'", 1, 4), ("a\n{% if t %}", "unclosed '{% if %}'", 2, 4),
    ("{% for x in items %}", "unclosed '{% for %}'", 1, 4), ("{# note", "unclosed '{#'", 1, 1),
    ("{{ 'open }}", "unterminated string", 1, 4), ("a #} b", "'#}' closes no comment", 1, 3),
    ("{{ name | uper }}", "unknown filter 'uper'; did you mean 'upper'?", 1, 11),
    ("{{ x is nosuch }}", "unknown test 'nosuch'", 1, 9), ("{% frobnicate %}", "unknown tag 'frobnicate'", 1, 4),
    ("{% macro m() %}x{% endmacro %}", "'{% macro %}' is not supported", 1, 4),
    ("{% include 'x.njk' %}", "'{% include %}' is not supported", 1, 4),
    ("{% extends 'base.njk' %}", "'{% extends %}' is not supported", 1, 4),
    ("{% import 'm.njk' as m %}", "'{% import %}' is not supported", 1, 4),
    ("{% call m() %}{% endcall %}", "'{% call %}' is not supported", 1, 4),
    ("{% filter upper %}x{% endfilter %}", "'{% filter %}' is not supported", 1, 4),
    ("{% endif %}", "'{% endif %}' without an open tag", 1, 4),
    ("{{ name.toUpperCase() }}", "calling methods ('….toUpperCase(…)') is not supported", 1, 20),
    ("{{ cycler(1, 2) }}", "calling 'cycler(…)' is not supported", 1, 10),
    ("{{ s | replace(r/h/g, 'H') }}", "regular expression literals", 1, 16),
    ("{{ 1e3 }}", "'1e3' is not a number nunjucks reads", 1, 4),
    ("{{ s | truncate(3, end='!') }}", "keyword arguments", 1, 20), ("{{ }}", "expected an expression", 1, 4),
    ("{{ 1 if t else 2 if fl else 3 }}", "expected '}}', found 'if'", 1, 18),
    ("line one\n  {{ name | nope }}", "unknown filter 'nope'", 2, 13),
  ]

  @Test(arguments: refusals)
  func refusesWithThePlaceInTheTemplate(_ template: String, _ message: String, _ line: Int, _ column: Int) {
    #expect {
      _ = try Self.renderer.compile(template)
    } throws: { error in
      let text = (error as? Diagnostic)?.message ?? ""
      return text.hasPrefix(message) && text.hasSuffix("(template line \(line), column \(column))")
    }
  }

  /// (template, message) of values a filter or operator cannot take: an error at render time, as nunjucks'
  /// TypeErrors.
  static let renderFailures: [(String, String)] = [
    ("{{ n | upper }}", "filter 'upper' expects a string, got number (template line 1, column 8)"),
    ("{{ missing | trim }}", "filter 'trim' expects a string, got undefined (template line 1, column 14)"),
    ("{{ s | join }}", "filter 'join' expects a list, got string (template line 1, column 8)"),
    ("{{ s | load }}", "filter 'load' could not parse its input as JSON (template line 1, column 8)"),
    ("{{ 1 in 5 }}", "'in' needs a list, a string or an object on its right, got number (template line 1, column 6)"),
  ]

  @Test(arguments: renderFailures)
  func failsToRenderValuesAFilterCannotTake(_ template: String, _ message: String) throws {
    let compiled = try Self.renderer.compile(template)
    #expect {
      _ = try compiled.render(Self.vars)
    } throws: { error in
      (error as? Diagnostic)?.message == message
    }
  }

  @Test func errorsInATextFilePromptPointIntoTheFile() throws {
    let holder = EvalCore.SourceLocation(file: "prompts/p.txt", line: 10)
    #expect {
      _ = try Self.renderer.compile("first\nsecond {{ x | nope }}", at: holder)
    } throws: { error in
      (error as? Diagnostic)?.description == "prompts/p.txt:11:15: error: unknown filter 'nope'"
    }
  }

  @Test func errorsInAYAMLValuePointAtTheValueAndNameThePlaceInTheTemplate() throws {
    let holder = EvalCore.SourceLocation(file: "suite.yaml", line: 4, column: 5)
    #expect {
      _ = try Self.renderer.compile("a\n{% if %}", at: holder)
    } throws: { error in
      (error as? Diagnostic)?.description
        == "suite.yaml:4:5: error: expected an expression, found '%}' (template line 2, column 7)"
    }
  }

  /// (template, required variables, guarded variables)
  static let variableUses: [(String, [String], [String])] = [
    ("{{ a }} {{ b.c }} {{ a }}", ["a", "b"], []),
    ("{{ a | default('x') }} {{ b | d }} {{ c is defined }} {{ e is not defined }}", [], ["a", "b", "c", "e"]),
    ("{% if a %}{{ a }}{% endif %} {{ b if c else d }}", ["b", "d"], ["a", "c"]),
    ("{{ a or 'x' }} {{ not b }} {{ c and d }}", ["d"], ["a", "b", "c"]),
    ("{% for x in xs %}{{ x }}{{ loop.index }}{{ y }}{% endfor %}{{ x }}", ["xs", "y", "x"], []),
    ("{% set s = 1 %}{{ s }}{{ env.HOME }}{% set c %}{{ q }}{% endset %}", ["q"], []),
    ("{{ (j | load).tone }} {{ items[k] }} {{ range(n) }}", ["j", "items", "k", "n"], []),
    ("plain text {# {{ not_a_var }} #}", [], []),
  ]

  @Test(arguments: variableUses)
  func listsTheVariablesATemplateReads(_ template: String, _ required: [String], _ guarded: [String]) throws {
    let compiled = try Self.renderer.compile(template)
    #expect(compiled.requiredVariables.map(\.name) == required)
    #expect(compiled.variables.filter(\.guarded).map(\.name) == guarded)
  }

  @Test func variablePositionsAreLinesAndColumnsOfTheTemplate() throws {
    let compiled = try Self.renderer.compile("Hello\n  {{ who }} and {{ who }}")
    #expect(compiled.variables.map(\.position) == [TemplatePosition(line: 2, column: 6)])
  }

  @Test func plainTextIsNotATemplate() throws {
    #expect(TemplateRenderer.isTemplate("{ not } a { template }") == false)
    // Each marker, alone and at either end; text without `{` or `#}` is settled without a search.
    for template in ["{{ x }}", "{% if x %}{% endif %}", "{# c #}", "a #}", "#}", "{{", "é{%", "{#"] {
      #expect(TemplateRenderer.isTemplate(template), "\(template)")
    }
    for text in ["", "question", "# } {", "}}", "%}", "#", "} #", "é 🙂 #{ }", "{ {"] {
      #expect(!TemplateRenderer.isTemplate(text), "\(text)")
    }
    #expect(try Self.renderer.render("{ x }", vars: [:]) == "{ x }")
    #expect(try Self.renderer.render(["k": "{{ name }}", "n": 1], vars: Self.vars) == ["k": "Ada", "n": 1])
  }

  @Test func aTestVarNamedEnvHidesTheEnvironment() throws {
    #expect(try Self.render("[{{ env.REGION }}]", ["env": ["REGION": "mine"]]) == "[mine]")
  }
}
