import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Watches for Ctrl-C (SIGINT) and SIGTERM. The first stops dispatching; a second exits at once,
/// leaving what is on disk as it is. Should the run not wind down within ``windDown`` of the first (its
/// threads busy), a watchdog outside the run's threads exits 130 so a CI job's stop always stops it;
/// results.jsonl then holds every case that finished.
final class InterruptMonitor: Sendable {
  /// How long after the first signal the run may take to write its reports (the 5 s grace for calls in
  /// flight, and the reports).
  static let windDown: DispatchTimeInterval = .seconds(60)

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
        DispatchQueue.global().asyncAfter(deadline: .now() + InterruptMonitor.windDown) {
          Terminal.error("\nevalgate: stopped (the run did not wind down in time; results.jsonl holds what finished)\n")
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
