import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// A `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…` URL, read the way libpq reads it: `sslmode` is
/// `disable`, `allow` or `prefer` (the default: TLS when the server offers it, unverified), `require` (TLS,
/// unverified), `verify-ca` (TLS, certificate checked against `sslrootcert` or the system roots) or
/// `verify-full` (also the host name); `connect_timeout` is in seconds (default 10). A missing user, password
/// or database comes from `PGUSER`, `PGPASSWORD`, `PGDATABASE` (else the user's name).
public struct PostgresURL: Sendable, Equatable {
  /// How the connection uses TLS.
  public enum SSLMode: String, Sendable, CaseIterable {
    /// Plain TCP.
    case disable
    /// TLS when the server offers it (libpq tries plain first; evalgate treats it like `prefer`).
    case allow
    /// TLS when the server offers it, without checking its certificate.
    case prefer
    /// TLS or no connection, without checking the certificate.
    case require
    /// TLS with the certificate checked against the trusted roots, any host name.
    case verifyCA = "verify-ca"
    /// TLS with the certificate and the host name checked.
    case verifyFull = "verify-full"
  }

  /// The server's host name or address.
  public var host: String
  /// The server's port.
  public var port: Int
  /// The role to log in as.
  public var user: String
  /// The password, when one was given (never printed).
  public var password: String?
  /// The database.
  public var database: String
  /// TLS use.
  public var sslMode: SSLMode
  /// A PEM file of trusted roots for `verify-ca` and `verify-full` (else the system's).
  public var sslRootCert: String?
  /// How long connecting may take.
  public var connectTimeout: Int

  /// Parses `text`, filling gaps from `environment`.
  /// - Throws: `HistoryError.unsupportedURL` (with the password redacted) when it is not such a URL or an
  ///   option's value is unknown.
  public init(parsing text: String, environment: [String: String] = [:]) throws {
    let shown = HistoryLocation.redacted(text)
    guard let parts = URLComponents(string: text),
      let scheme = parts.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
    else { throw HistoryError.unsupportedURL(shown) }
    let host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
    self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    port = parts.port ?? 5432
    let env = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    user = parts.user.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGUSER") ?? env("USER") ?? "postgres"
    password = parts.password ?? env("PGPASSWORD")
    let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
    database = path.isEmpty ? (env("PGDATABASE") ?? user) : path
    var mode = SSLMode.prefer
    var rootCert: String?
    var timeout = 10
    for item in parts.queryItems ?? [] {
      let value = item.value ?? ""
      switch item.name {
      case "sslmode":
        guard let known = SSLMode(rawValue: value) else {
          throw HistoryError.invalidOption(
            url: shown, option: "sslmode", value: value,
            expected: SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        mode = known
      case "sslrootcert": rootCert = value
      case "connect_timeout":
        guard let seconds = Int(value), seconds > 0 else {
          throw HistoryError.invalidOption(url: shown, option: "connect_timeout", value: value, expected: "seconds > 0")
        }
        timeout = seconds
      case "application_name", "options": continue
      default:
        throw HistoryError.invalidOption(
          url: shown, option: item.name, value: value,
          expected: "one of sslmode, sslrootcert, connect_timeout")
      }
    }
    sslMode = mode
    sslRootCert = rootCert
    connectTimeout = timeout
  }

  /// postgres-nio's configuration for this URL.
  /// - Throws: when the TLS context cannot be made (an unreadable `sslrootcert`).
  public func configuration() throws -> PostgresConnection.Configuration {
    var tls = TLSConfiguration.makeClientConfiguration()
    switch sslMode {
    case .disable, .allow, .prefer, .require: tls.certificateVerification = .none
    case .verifyCA: tls.certificateVerification = .noHostnameVerification
    case .verifyFull: tls.certificateVerification = .fullVerification
    }
    if let sslRootCert, sslMode == .verifyCA || sslMode == .verifyFull { tls.trustRoots = .file(sslRootCert) }
    let mode: PostgresConnection.Configuration.TLS
    switch sslMode {
    case .disable: mode = .disable
    case .allow, .prefer: mode = .prefer(try NIOSSLContext(configuration: tls))
    case .require, .verifyCA, .verifyFull: mode = .require(try NIOSSLContext(configuration: tls))
    }
    var configuration = PostgresConnection.Configuration(
      host: host, port: port, username: user, password: password, database: database, tls: mode)
    configuration.options.connectTimeout = .seconds(Int64(connectTimeout))
    return configuration
  }
}
