import AsyncHTTPClient
import EvalProviders
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The HTTP client alone, with none of evalgate's work (scripts/bench-scale --floor): N chat-completion POSTs at C
// in flight through async-http-client, configured as `ProviderFactory` configures it, each answer read whole. What
// it costs a request is the floor under evalgate's own cost a case (docs/benchmarks.md, session 13).
// With `plain`, through the client the chat provider uses for plain `http://` URLs (`PlainHTTPClient`, session 20)
// instead of async-http-client.
// Usage: http-floor BASE_URL N C [ahc|plain]
let arguments = CommandLine.arguments
guard arguments.count == 4 || (arguments.count == 5 && ["ahc", "plain"].contains(arguments[4])),
  let n = Int(arguments[2]), let c = Int(arguments[3]), n > 0, c > 0
else {
  FileHandle.standardError.write(Data("usage: http-floor BASE_URL N C [ahc|plain]\n".utf8))
  exit(2)
}
let usePlain = arguments.count == 5 && arguments[4] == "plain"
let url = arguments[1] + "/chat/completions"
var configuration = HTTPClient.Configuration()
configuration.connectionPool = .init(
  idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, 2 * c))
configuration.connectionPool.retryConnectionEstablishment = false
configuration.timeout = .init(connect: .seconds(10))
configuration.httpVersion = .http1Only
configuration.tracing.tracer = nil
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let plain = PlainHTTPClient(connectTimeout: .seconds(10))
let target = PlainHTTPClient.Target(url)
let plainHeaders = HTTPHeaders([("Content-Type", "application/json"), ("Accept", "application/json")])

/// One call as the chat provider makes it: the same headers and body shape, the answer collected.
@Sendable func call(_ i: Int) async -> Bool {
  let body = ByteBuffer(
    string: #"{"messages":[{"content":"question \#(i)","role":"user"}],"model":"fake-model"}"#)
  if usePlain, let target {
    let request = PlainHTTPClient.Request(.POST, target, headers: plainHeaders, body: body)
    let response = try? await plain.execute(
      request, to: target, deadline: .now() + .seconds(60), maxBodyBytes: 32 << 20)
    return response.map { (200..<300).contains($0.status) } ?? false
  }
  var request = HTTPClientRequest(url: url)
  request.method = .POST
  request.headers.add(name: "Content-Type", value: "application/json")
  request.headers.add(name: "Accept", value: "application/json")
  request.body = .bytes(body)
  do {
    let response = try await client.execute(request, timeout: .seconds(60))
    _ = try await response.body.collect(upTo: 32 << 20)
    return (200..<300).contains(response.status.code)
  } catch {
    return false
  }
}

func cpuSeconds() -> Double {
  var usage = rusage()
  #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

let (startWall, startCPU) = (ContinuousClock.now, cpuSeconds())
let failed = await withTaskGroup(of: Bool.self) { group in
  var next = 0
  var failed = 0
  while next < min(c, n) {
    let i = next
    group.addTask { await call(i) }
    next += 1
  }
  while let ok = await group.next() {
    if !ok { failed += 1 }
    if next < n {
      let i = next
      group.addTask { await call(i) }
      next += 1
    }
  }
  return failed
}
let wall = (ContinuousClock.now - startWall) / .seconds(1)
let cpu = cpuSeconds() - startCPU
print(
  String(
    format: "%d requests at C = %d: %.2f s, %.0f requests/s, %.3f ms of CPU a request, %d failed", n, c, wall,
    Double(n) / wall, cpu * 1000 / Double(n), failed))
await plain.shutdown()
do {
  try await client.shutdown() as Void
} catch {
  FileHandle.standardError.write(Data("http-floor: the client did not shut down: \(error)\n".utf8))
}
exit(failed == 0 ? 0 : 1)
