import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Watches for Ctrl-C (SIGINT) and SIGTERM. The first stops dispatching; a second exits at once,
/// leaving what is on disk as it is.
final class InterruptMonitor: Sendable {
  private let count = Atomic<Int>(0)
  /// Keeps the signal sources alive; written once, from `install()`, before any signal can arrive.
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  init() {}

  /// Installs the handlers.
  func install() {
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler { [self] in
        let n = count.add(1, ordering: .relaxed).newValue
        if n >= 2 {
          Terminal.error("\nevalgate: stopped at once (second interrupt)\n")
          exit(130)
        }
      }
      source.resume()
      InterruptMonitor.sources.append(source)
    }
  }

  /// True once an interrupt arrived.
  var interrupted: Bool { count.load(ordering: .relaxed) > 0 }
}
