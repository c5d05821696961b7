import EvalCore
import Foundation
import Testing

/// Committed samples: the positives are synthetic secrets in each provider's published format (random
/// characters, never real credentials) with `⟨⟩` inside the prefix, removed before scanning, so that
/// secret scanners reading this file do not flag it; the negatives are look-alikes.
struct SecretScannerTests {
  static let positives: [(String, String)] = [
    (
      "Use this key: sk⟨⟩-proj-BbrSK29CZTux1KMoBFeJDPYhgFy5pbnAnknyD7PmcAPftZDB3A_lCbFs83cEDU3qLyjjjBGiqRbC5o-X2a7cZmP1gaAWtceE6oqXlDu_zoXY",
      "openai-key"
    ),
    (
      "Use this key: sk⟨⟩-proj-pVnrb0Tr1LIRrvZyKbeYHIxutDszzQpY7Ttkp6rudlylVQSknli5mp2RDFQR6r7Wih3Qs3205zXAUekA4cA9-3R4CxEu7dPgdbAfxX6SdyzF",
      "openai-key"
    ),
    (
      "Use this key: sk⟨⟩-proj-MjYjRe7I9dFti0lryC2sAF3DGRjnGohYmHZJyUVVytDB3fayowuYtc-bBe88RIJJe2fDkMPsX5B-P7cxj4RCcHLsXnavplOF96kc7rhxlAzo",
      "openai-key"
    ),
    (
      "Use this key: sk⟨⟩-proj-XCYbmGAwppYowf74mGUqg3jsR3LPXgUT6vKyI3eu5QfwJXoL5lDNSYD36DbXt3WgA06QX7hDwYosjc9kMSgdzVDBF5iGkYqZjrS7ti9xF-Mu",
      "openai-key"
    ),
    (
      "Use this key: sk⟨⟩-proj-LZFpQIIfPyG64TpsqQL1kqON8Ijxsdm0jV4xhoDTSNql4kttyje3zdDA1rHuAYzfquZBOyrRHOl3FBOLChmVhM5oZbV3WrkV-VHQcDN18yiY",
      "openai-key"
    ),
    ("OPENAI_API_KEY=sk⟨⟩-8pQbcb64FOHoTQXbNKV5l2jcnWZdF5OTwHwFs27WDENjcaNP", "openai-key"),
    ("OPENAI_API_KEY=sk⟨⟩-i2pe22P8wzR7sE0aLsJ20BiCJ8f6TCGQjMdDktyXEvcLR8Ro", "openai-key"),
    ("OPENAI_API_KEY=sk⟨⟩-J9jtNRHtCZvd9j3FhaX2QAwSbtfjXEPooNIqKiWzmt5Pv11V", "openai-key"),
    (
      "export ANTHROPIC_API_KEY=sk⟨⟩-ant-api03-nCWx7uqUy-Rvg7Ozo79zLuiVfXi5okFzVgjUVnL7urEacoXbkVYSzZVxlnAjRGbhUFsbSbFPA141x1wKGXUefQlnz-7rsAA",
      "anthropic-key"
    ),
    (
      "export ANTHROPIC_API_KEY=sk⟨⟩-ant-api03-TTqwKwAKIQX1F6Z4YFtCcPhtaKCLfyHC9Mh177fZi2ni-iUvBTjuBUFUEZWirxaH3JoeeowfvrrH1tLf9xchRO40kq_I6AA",
      "anthropic-key"
    ),
    (
      "export ANTHROPIC_API_KEY=sk⟨⟩-ant-api03-nH4k0JXgDQh0tZ0iPzKwXCNwsLjuJJnpq0P0xBSk7FwBi63HIrPZT9ku-602Rod41xOKG1xpr7-k4NuuY9N1WfplEOiOEAA",
      "anthropic-key"
    ),
    (
      "export ANTHROPIC_API_KEY=sk⟨⟩-ant-api03-VZvOk2u3ch7fnDJiLQ_9cK5szUtmarhtK76HLLS9ptvll1YoV5h2Tl0SuzDzGWY5jv70KqBKkR3h8p8VtvXEWXy0W3inhAA",
      "anthropic-key"
    ),
    ("aws_access_key_id = AK⟨⟩IA7BEBKW2UHZ73GM9U", "aws-access-key-id"),
    ("aws_access_key_id = AK⟨⟩IA68IIDG44DGNLVDNN", "aws-access-key-id"),
    ("aws_access_key_id = AK⟨⟩IAOWI93R7X8WMFRUMR", "aws-access-key-id"),
    ("aws_access_key_id = AK⟨⟩IAFPV1YHL1E32K4IO9", "aws-access-key-id"),
    ("aws_access_key_id = AK⟨⟩IA3RCGVM0HLNT3XWQK", "aws-access-key-id"),
    ("aw⟨⟩s_secret_access_key = 08RkvQhgTffX442Frm4yPCLDHHnNY+62Kwnq/Klb", "aws-secret-access-key"),
    ("aw⟨⟩s_secret_access_key = Q4mM4E1MjbkNAub5OhqAv6Fh7ZPJE+kH46d4EDJx", "aws-secret-access-key"),
    ("aw⟨⟩s_secret_access_key = 99bJEoiUd3Dz2mOW73mVdsRO3v5W3Nssveesovej", "aws-secret-access-key"),
    ("token: gh⟨⟩p_8EGGfUOcsdkaUlXku4cbpcs06zDxrMaGGNVt", "github-token"),
    ("token: gh⟨⟩p_C9tYKe0pBG5U2O1ZjZH5c4R1P3apRvMmFUrj", "github-token"),
    ("token: gh⟨⟩p_KrKvlD2b9opN1TM54wiky4zrqym6lk5HHpnl", "github-token"),
    ("token: gh⟨⟩p_Xcrq77wNPKkeOdqJg88Ppe2hEVC0ry8CNOdc", "github-token"),
    ("token: gh⟨⟩p_cZw7cNzVIo2PCwJ5vrw8OVZqpYGgCpxBHGPI", "github-token"),
    (
      "GH_TOKEN=gi⟨⟩thub_pat_b8esjh35ITgpuY1pGdeciV_swa0z7O0GfrlDlTdxLPkM4n01FhM49X2IT4AKTmLjMbQhdy1hJ9sShLjiap",
      "github-token"
    ),
    (
      "GH_TOKEN=gi⟨⟩thub_pat_kNberu3fmZ6xBpiazvNFuP_5Zb37XPFubjMoVwtXaHg3XXcYi3zVnWx4v810vuWUo25hmCYjzSbYyUfji9",
      "github-token"
    ),
    ("gitlab gl⟨⟩pat-wrippisI4U245qlrmRxe", "gitlab-token"),
    ("gitlab gl⟨⟩pat-hfq-6o-KSdjwjGMwzzi2", "gitlab-token"),
    ("gitlab gl⟨⟩pat-alMASp45D8APX1dRcpnb", "gitlab-token"),
    ("slack bot xo⟨⟩xb-19690987222-564724626605-DMhTpiUlOxCICTGN9ApwoW7H", "slack-token"),
    ("slack bot xo⟨⟩xb-80030583294-087721700962-7H1WUdpcOfXmViJHp9g09GyM", "slack-token"),
    ("slack bot xo⟨⟩xb-37043332820-317867719640-VIirCF5oiaa6c6JIGjV2X978", "slack-token"),
    ("stripe.api_key = 'sk⟨⟩_live_ppJEbzR1YjEdg3vkjHAlCSWB'", "stripe-key"),
    ("stripe.api_key = 'sk⟨⟩_live_4b8mu7bTBA8rwktYulc8tsLd'", "stripe-key"),
    ("stripe.api_key = 'sk⟨⟩_live_oebIuYAwgZ8JmWbJoE64YEWU'", "stripe-key"),
    ("stripe.api_key = 'sk⟨⟩_live_mZqh4Xg4VeS6RcCXGSJKKMGF'", "stripe-key"),
    ("maps key AI⟨⟩za0xG1g-4WgzUuaFG0e-RUHCjO4NFJ0tfSw8T", "google-api-key"),
    ("maps key AI⟨⟩zangXgvO-6zhYuhPFcfhNwAYf_8iTP2Yi9V0B", "google-api-key"),
    ("maps key AI⟨⟩za6uVo1PCmr7torKwhpsoTeDqY4Gw115fZR61", "google-api-key"),
    ("HF_TOKEN=hf⟨⟩_nlxkPvLhIKWLOGvvkjelMVMSSzRQupWJEi", "huggingface-token"),
    ("HF_TOKEN=hf⟨⟩_FpgfczUlBXDoEObZjoXnMumVUnKEBdTUNM", "huggingface-token"),
    ("HF_TOKEN=hf⟨⟩_ItHMhhVkadCopXhqHZazZpDiDqRthBTfrU", "huggingface-token"),
    ("//registry.npmjs.org/:_authToken=np⟨⟩m_6fXSKag8oS70x5jSwjdoLCI84X3BWk1hAHSC", "npm-token"),
    ("//registry.npmjs.org/:_authToken=np⟨⟩m_2gElonPQWZ4bjddNpv41WnHj9EtwfKh6WCEW", "npm-token"),
    (
      "--⟨⟩---BEGIN RSA PRIVATE KEY-----\nMIIEWqTlKnSWwJPkfHmjYpj3gwqLNbLtY7efxpKfG6oTbvFZyBNf308u8ZzLmVG9\n-----END RSA PRIVATE KEY-----",
      "private-key"
    ),
    (
      "--⟨⟩---BEGIN EC PRIVATE KEY-----\nMIIEiBegBVa1Q4SKZVJq93jtGuUn4qJ6Gb8LrA1TcFDyx0SOO1gpvu5RVQ31Sgnz\n-----END EC PRIVATE KEY-----",
      "private-key"
    ),
    (
      "--⟨⟩---BEGIN OPENSSH PRIVATE KEY-----\nMIIEiHBTpj6wOAZJ02j4gS4PwDzpHDPJgg8VRFsIIV6EMhrb9zfSdMILtTTGP5fQ\n-----END OPENSSH PRIVATE KEY-----",
      "private-key"
    ),
    (
      "--⟨⟩---BEGIN PRIVATE KEY-----\nMIIEWlg4moTp0LJZae7hZn0vHjJavui5DgSWuXXbHkP5kHF1Et4tIEK0G2M0zS92\n-----END PRIVATE KEY-----",
      "private-key"
    ),
    (
      "--⟨⟩---BEGIN ENCRYPTED PRIVATE KEY-----\nMIIElJBzRXIhYc3TjznJIXUjsHmpM4TUCUR9nG5IpdiJcanYERkVfaFKaLMy07fa\n-----END ENCRYPTED PRIVATE KEY-----",
      "private-key"
    ),
    (
      "Authorization: Bearer ey⟨⟩JhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNjM3OTc3MzA3IiwgIm5hbWUiOiAieCIsICJpYXQiOiAxNTE2MjM5MDIyfQ.b4LI0zz4_RbqLorPsSu9dCYKEbRHPVaZ4_SNxM-kY8l",
      "jwt"
    ),
    (
      "Authorization: Bearer ey⟨⟩JhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNjg1NjIzNzU5IiwgIm5hbWUiOiAieCIsICJpYXQiOiAxNTE2MjM5MDIyfQ.c8hzcteC0OvOLI_Fmm5x9rxd7I6BspURTxkCL3iTuvw",
      "jwt"
    ),
    (
      "Authorization: Bearer ey⟨⟩JhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiODg2MDA5MzEyIiwgIm5hbWUiOiAieCIsICJpYXQiOiAxNTE2MjM5MDIyfQ.jMT3oAll-h2dliYVLISRTAfYvUQ9G3YgBKLimhRSqDy",
      "jwt"
    ),
    (
      "Authorization: Bearer ey⟨⟩JhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNTc2ODA2NzYyIiwgIm5hbWUiOiAieCIsICJpYXQiOiAxNTE2MjM5MDIyfQ.MxWWfdOaV311rg0yUV_52tUEHeBUU9pqg7jiqb6q-4q",
      "jwt"
    ),
    (
      "Authorization: Bearer ey⟨⟩JhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNDAyNjIyMzAiLCAibmFtZSI6ICJ4IiwgImlhdCI6IDE1MTYyMzkwMjJ9.DE_jpIJ1gaU5K3YdCXDEuvZ607yMQaxubYdaHeoPV6r",
      "jwt"
    ),
  ]

  static let negatives: [String] = [
    "Set OPENAI_API_KEY=sk-... in your shell",
    "api_key = \"sk-your-key-here\"",
    "Replace YOUR_API_KEY with your key",
    "We use sk-learn and scikit-image",
    "GitHub tokens start with ghp_ followed by 36 characters",
    "AKIAEXAMPLE is not a key",
    "request id 123e4567-e89b-12d3-a456-426614174000",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "image data iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "the header starts with eyJhbGciOi",
    "eyJhYmNkZWYiOiAxfQ.eyJzdWIiOiIxMjM0NTYifQ.c2lnbmF0dXJlLXN0dWZm (no alg in the header)",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host",
    "Slack tokens look like xoxb-...",
    "sk_test_123 is too short to be real",
    "The Maps key prefix is AIza",
    "from huggingface_hub import hf_hub_download",
    "npm_config_cache=/tmp/npm",
    "Create a glpat token in GitLab settings",
    "password: ********",
    "api_key = os.environ['OPENAI_API_KEY']",
    "Authorization: Bearer <token>",
    "ghp_short1234567890",
    "version 1.2.3-beta+build.5",
    "The quick brown fox jumps over the lazy dog",
    "base64 of hello is aGVsbG8=",
    "md5 5d41402abc4b2a76b9719d911017c592",
    "AWS region us-east-1 and bucket my-bucket",
    "arn:aws:iam::123456789012:user/alice",
    "Use AWS_SECRET_ACCESS_KEY from the environment",
    "aws_secret_access_key = <your secret>",
    "token_type: bearer, expires_in: 3600",
    "stripe publishable key pk_live_ is public",
    "rk_live is the restricted key prefix",
    "sk-ant- is Anthropic's prefix",
    "sk-proj- keys are project scoped",
    "UUID 550e8400-e29b-41d4-a716-446655440000",
    "a long word: Pneumonoultramicroscopicsilicovolcanoconiosis",
    "ORDER-2024-AKIA-0001",
    "hf_ prefix marks Hugging Face tokens",
    "npm_ tokens are 40 characters",
    "xoxb-123-abc",
    "AIzaShort",
    "-----BEGIN PGP SIGNATURE-----",
    "eyJ0eXAiOiJKV1QifQ is only a header",
    "git@github.com:org/repo.git",
    "http://user:pass@example.com is a URL with credentials placeholder",
    "SECRET_KEY_BASE=change-me",
    "client_secret: REDACTED",
    "sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    "session cookie abc123",
    "JWT stands for JSON Web Token",
    "glpat-short",
  ]

  /// Issue 15, item 2: placeholders in full-length token shapes are not secrets (assembled here, so the
  /// file holds no token-shaped text).
  static let placeholders: [String] = [
    "sk-" + "proj-" + String(repeating: "X", count: 56),
    "AK" + "IA" + String(repeating: "X", count: 16),
    "gh" + "p_" + String(repeating: "x", count: 36),
    "sk" + "_live_" + String(repeating: "x", count: 24),
    "AI" + "za" + String(repeating: "X", count: 35),
    "gh" + "p_" + String(repeating: "a", count: 36),
    "sk-" + "proj-abc123" + String(repeating: "X", count: 40),
    "sk-" + "proj-" + String(repeating: "YOUR_API_KEY_", count: 4),
    "sk" + "_live_" + String(repeating: "REDACTED", count: 3),
    "AI" + "zaSy" + String(repeating: "Example", count: 4) + "12345",
    "gh" + "p_<token>",
    "AK" + "IAIOSFODNN7EXAMPLE",
  ]

  @Test(arguments: placeholders)
  func placeholderIsNotASecret(_ token: String) {
    #expect(SecretScanner().scan("key: \(token)").isEmpty, "\(token): \(SecretScanner().scan(token))")
  }

  static func unmasked(_ text: String) -> String { text.replacingOccurrences(of: "⟨⟩", with: "") }

  @Test func thereAreEnoughSamples() {
    #expect(Self.positives.count >= 50 && Self.negatives.count >= 50)
  }

  @Test(arguments: Self.positives.indices)
  func positiveIsFound(_ i: Int) {
    let (text, kind) = Self.positives[i]
    let found = SecretScanner().scan(Self.unmasked(text))
    #expect(found.map(\.kind) == [kind], "\(found)")
    // The preview never holds the whole secret.
    #expect(found.allSatisfy { $0.preview.count <= 13 })
    #expect(SecretScanner().scan(text).isEmpty, "the masked sample must not match")
  }

  @Test(arguments: Self.negatives)
  func lookAlikeIsNotASecret(_ text: String) {
    #expect(SecretScanner().scan(text).isEmpty, "\(SecretScanner().scan(text))")
  }
}
