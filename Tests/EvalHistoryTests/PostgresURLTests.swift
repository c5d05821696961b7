import EvalCore
import EvalHistory
import Foundation
import Logging
import PostgresNIO
import Testing

struct PostgresURLTests {
  @Test func urlsReadLikeLibpq() throws {
    let full = try PostgresURL(
      parsing: "postgresql://team%40corp:p%2Fw@db.example.com:6543/evals?sslmode=verify-full&connect_timeout=3")
    #expect(full.user == "team@corp")
    #expect(full.password == "p/w")
    #expect(full.host == "db.example.com")
    #expect(full.port == 6543)
    #expect(full.database == "evals")
    #expect(full.sslMode == .verifyFull)
    #expect(full.connectTimeout == 3)

    let bare = try PostgresURL(
      parsing: "postgres://", environment: ["PGUSER": "ci", "PGPASSWORD": "from-env", "PGDATABASE": "hist"])
    #expect(bare.host == "localhost")
    #expect(bare.port == 5432)
    #expect(bare.user == "ci")
    #expect(bare.password == "from-env")
    #expect(bare.database == "hist")
    #expect(bare.sslMode == .prefer)
    #expect(try PostgresURL(parsing: "postgres://u@[::1]/", environment: [:]).host == "::1")
    #expect(try PostgresURL(parsing: "postgres://u@h", environment: [:]).database == "u")
  }

  @Test func unknownOptionsAreErrorsThatHideThePassword() {
    for url in [
      "postgres://u:hunter2@h/db?sslmode=sometimes", "postgres://u:hunter2@h/db?sslcert=x",
      "postgres://u:hunter2@h/db?connect_timeout=soon",
    ] {
      #expect(throws: HistoryError.self) { try PostgresURL(parsing: url) }
      do {
        _ = try PostgresURL(parsing: url)
      } catch {
        #expect(!"\(error)".contains("hunter2"))
        #expect("\(error)".contains("u:***@h"))
      }
    }
  }

  @Test func anUnreachableServerIsAnErrorWithoutThePassword() async throws {
    // Port 1 on loopback: nothing listens, the connection is refused.
    await #expect(throws: HistoryError.self) {
      try await HistoryLocation.postgres(url: "postgres://u:hunter2@127.0.0.1:1/db?sslmode=disable").open()
    }
    do {
      _ = try await HistoryLocation.postgres(url: "postgres://u:hunter2@127.0.0.1:1/db").open()
    } catch {
      #expect("\(error)".hasPrefix("cannot connect to 127.0.0.1:1 as u: "), "\(error)")
      #expect(!"\(error)".contains("hunter2"))
    }
  }

  /// Each sslmode against the test server (which has TLS with a self-signed certificate).
  @Test func sslModesAgainstTheServer() async throws {
    guard let base = HistoryBackend.postgresURL,
      let ca = ProcessInfo.processInfo.environment["EVALGATE_TEST_POSTGRES_CA"]
    else {
      try Test.cancel(
        "\(HistoryBackend.postgresVariable) or EVALGATE_TEST_POSTGRES_CA is unset: the PostgreSQL TLS tests are skipped"
      )
    }
    var parts = try #require(URLComponents(string: base))
    func url(_ items: [URLQueryItem]) throws -> String {
      parts.queryItems = items
      return try #require(parts.string)
    }
    func encrypted(_ url: String) async throws -> Bool {
      var ssl = false
      try await HistoryFixture.postgres(url) { connection, logger in
        for try await on in try await connection.query(
          "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger
        ).decode(Bool.self) {
          ssl = on
        }
      }
      return ssl
    }
    #expect(try await encrypted(url([URLQueryItem(name: "sslmode", value: "disable")])) == false)
    #expect(try await encrypted(url([URLQueryItem(name: "sslmode", value: "prefer")])) == true)
    #expect(try await encrypted(url([URLQueryItem(name: "sslmode", value: "require")])) == true)
    // A self-signed certificate is not trusted without sslrootcert…
    await #expect(throws: (any Error).self) {
      _ = try await encrypted(url([URLQueryItem(name: "sslmode", value: "verify-full")]))
    }
    // …and is with it, its subjectAltName naming 127.0.0.1.
    let verified = try url([
      URLQueryItem(name: "sslmode", value: "verify-full"), URLQueryItem(name: "sslrootcert", value: ca),
    ])
    #expect(try await encrypted(verified) == true)
    // A wrong password: the server's refusal, without the password.
    var wrong = try #require(URLComponents(string: base))
    wrong.password = "not-the-password-42"
    do {
      _ = try await HistoryLocation.postgres(url: try #require(wrong.string)).open()
      Issue.record("a wrong password was accepted")
    } catch {
      #expect("\(error)".contains("password authentication failed"), "\(error)")
      #expect(!"\(error)".contains("not-the-password-42"))
    }
    // The store itself over verify-full.
    let fixture = try await HistoryBackend.postgres.makeFixture()
    guard case .postgres(let created) = fixture.location else { return }
    var db = try #require(URLComponents(string: created))
    db.queryItems = [URLQueryItem(name: "sslmode", value: "verify-full"), URLQueryItem(name: "sslrootcert", value: ca)]
    let store = try await HistoryLocation.postgres(url: try #require(db.string)).open()
    let sealed = try await store.append(HistoryTestSupport.record("tls"))
    #expect(try await store.record(id: "tls") == sealed)
    await store.close()
  }

  /// The least a CI role needs: SELECT and INSERT on the tables and USAGE on the sequence (no CREATE, no
  /// UPDATE/DELETE/TRUNCATE), once the schema exists. Opening checks the migrations, appending takes the lock.
  @Test func aRoleWithSelectAndInsertOnlyCanAppend() async throws {
    guard HistoryBackend.postgresURL != nil else {
      try Test.cancel("\(HistoryBackend.postgresVariable) is unset: the PostgreSQL role test is skipped")
    }
    let fixture = try await HistoryBackend.postgres.makeFixture()
    let owner = try await fixture.open()
    _ = try await owner.append(HistoryTestSupport.record("by-owner"))
    await owner.close()
    let ci = HistoryLocation.postgres(url: try await fixture.ciRole())
    let store = try await ci.open()
    _ = try await store.append(HistoryTestSupport.record("by-ci-1", at: 1))
    _ = try await store.append(HistoryTestSupport.record("by-ci-2", at: 2))
    let all = try await store.records(suite: nil, limit: nil)
    #expect(all.map(\.id) == ["by-owner", "by-ci-1", "by-ci-2"])
    #expect(AuditChain.verify(all) == nil)
    await store.close()
  }
}
