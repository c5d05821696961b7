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
///
/// The signals are caught by a handler of the process's own (`sigaction`) that only counts them: a dispatch
/// signal source reads them through a `signalfd` on Linux, which misses a signal the kernel hands to a
/// thread that does not block it (a SIGTERM then did nothing at all). A dispatch timer, off the cooperative
/// pool, takes a signal left pending because every thread blocks it (libdispatch blocks them in its threads:
/// a SIGINT then did nothing), notices the first and arms the watchdog.
final class InterruptMonitor: Sendable {
  /// How long after the first signal the run may take to write its reports (the 5 s grace for calls in
  /// flight, and the reports).
  static let windDown: DispatchTimeInterval = .seconds(60)

  /// Signals caught so far: written by the handler (an atomic add is safe there), read by anyone.
  private static let count = Atomic<Int>(0)
  /// Polls ``count`` for the watchdog; written once, from `install()`.
  nonisolated(unsafe) private static var watcher: (any DispatchSourceTimer)?

  init() {}

  /// Installs the handlers.
  func install() {
    // Made before a handler can run: a static's first use takes a lock, which a signal handler must not.
    _ = InterruptMonitor.count.load(ordering: .relaxed)
    for sig in [SIGINT, SIGTERM] {
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = InterruptMonitor.caught
      #else
        action.__sigaction_u.__sa_handler = InterruptMonitor.caught
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(sig, &action, nil)
    }
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
    timer.setEventHandler {
      #if os(Linux)
        // libdispatch blocks these signals in its threads and in the main thread it drains: when every thread
        // blocks them, a signal is not handled but waits, pending for the process; taken here.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        var now = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&signals, nil, &now) > 0 { InterruptMonitor.caught(0) }
      #endif
      guard InterruptMonitor.count.load(ordering: .relaxed) > 0 else { return }
      InterruptMonitor.watcher?.cancel()
      DispatchQueue.global().asyncAfter(deadline: .now() + InterruptMonitor.windDown) {
        Terminal.error("\nevalgate: stopped (the run did not wind down in time; results.jsonl holds what finished)\n")
        exit(130)
      }
    }
    timer.resume()
    InterruptMonitor.watcher = timer
  }

  /// The handler: counts the signal; at the second, says so and exits (only async-signal-safe calls).
  private static let caught: @convention(c) (Int32) -> Void = { _ in
    if InterruptMonitor.count.add(1, ordering: .relaxed).newValue >= 2 {
      let message: StaticString = "\nevalgate: stopped at once (second interrupt)\n"
      _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
      _exit(130)
    }
  }

  /// True once an interrupt arrived.
  var interrupted: Bool { InterruptMonitor.count.load(ordering: .relaxed) > 0 }
}
