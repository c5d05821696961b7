import Synchronization

/// Many tasks sleeping until their deadlines on one clock timer: the runner's per-call timeouts and stall
/// checks. Each `Task.sleep` arms and cancels a timer of its own in the dispatch manager thread; with a
/// sleeper per call that thread took about 8 % of evalgate's CPU in a 20,000-case run at 0 ms latency
/// (`perf record -e cpu-clock`, mostly `timerfd_settime` and its wake-ups), and `Task.sleep` another 2 %.
/// Here a sleeper is an entry in a heap: only a deadline earlier than every other arms a clock sleep, so
/// calls that finish long before their timeout never touch a timer.
///
/// A sleeper wakes at its deadline as `Task.sleep(until:)` wakes it (one `ContinuousClock` sleep until the
/// earliest deadline), or at once when its task is cancelled. A sleeper that watches a provider's circuit
/// breaker also wakes when the breaker opens: one task per breaker and provider waits for that
/// (``CircuitBreaker/waitUntilOpen(_:)``) instead of one per call.
final class DeadlineTimer: Sendable {
  /// Why a sleep ended.
  enum Wake: Sendable, Equatable {
    case deadline
    case cancelled
    /// The watched breaker opened, with its error.
    case opened(ProviderError)

    /// The open breaker's error, when that is what ended the sleep.
    var breakerOpen: ProviderError? {
      if case .opened(let error) = self { return error }
      return nil
    }
  }

  /// A provider's breaker, watched while a call to it sleeps.
  struct Watch: Sendable {
    var breaker: CircuitBreaker
    var key: String

    fileprivate var id: WatchID { WatchID(breaker: ObjectIdentifier(breaker), key: key) }
  }

  fileprivate struct WatchID: Hashable {
    var breaker: ObjectIdentifier
    var key: String
  }

  private struct Sleeper {
    var continuation: CheckedContinuation<Wake, Never>
    var watch: WatchID?
  }

  private struct Entry {
    var deadline: ContinuousClock.Instant
    var id: UInt64
  }

  private struct State {
    /// A min-heap of deadlines; entries whose sleeper left are dropped when they reach the top, or all at
    /// once when they outnumber the sleepers.
    var heap: [Entry] = []
    var sleepers: [UInt64: Sleeper] = [:]
    /// Sleepers that have an id but are not in the heap yet, and those of them cancelled meanwhile.
    var arriving: Set<UInt64> = []
    var cancelledEarly: Set<UInt64> = []
    var nextID: UInt64 = 0
    /// The clock sleep under way, for the earliest deadline when it was armed.
    var armed: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)?
    /// The breakers seen open (a breaker's signal stays fired), and the task waiting for each watched one.
    var opened: [WatchID: ProviderError] = [:]
    var watchers: [WatchID: Task<Void, Never>] = [:]
  }

  private let state = Mutex(State())

  init() {}

  deinit {
    state.withLock { s in
      s.armed?.task.cancel()
      for watcher in s.watchers.values { watcher.cancel() }
    }
  }

  /// Sleepers waiting (for tests).
  var sleeping: Int { state.withLock { $0.sleepers.count } }

  /// Waits until `deadline`: `true` when it passed, `false` when the task was cancelled first.
  func sleep(until deadline: ContinuousClock.Instant) async -> Bool {
    await sleep(until: deadline, watching: nil) == .deadline
  }

  /// Waits until `deadline`, until the task is cancelled, or until `watch`'s breaker opens (at once when it
  /// is open already), whichever comes first.
  func sleep(until deadline: ContinuousClock.Instant, watching watch: Watch?) async -> Wake {
    guard !Task.isCancelled else { return .cancelled }
    let watchID = watch?.id
    let id = state.withLock { s in
      s.nextID += 1
      s.arriving.insert(s.nextID)
      return s.nextID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
        let now = ContinuousClock.now
        let settled: Wake? = state.withLock { s in
          s.arriving.remove(id)
          if s.cancelledEarly.remove(id) != nil { return .cancelled }
          if let watchID, let error = s.opened[watchID] { return .opened(error) }
          if deadline <= now { return .deadline }
          s.sleepers[id] = Sleeper(continuation: continuation, watch: watchID)
          push(Entry(deadline: deadline, id: id), &s)
          if s.armed.map({ deadline < $0.deadline }) ?? true { arm(deadline, &s) }
          if let watch, let watchID, s.watchers[watchID] == nil { s.watchers[watchID] = watcher(watch) }
          return nil
        }
        if let settled { continuation.resume(returning: settled) }
      }
    } onCancel: {
      let sleeper = state.withLock { s -> Sleeper? in
        if let sleeper = s.sleepers.removeValue(forKey: id) {
          // Sleepers that left are dropped from the heap once they outnumber those that wait.
          if s.heap.count > 64 + 2 * s.sleepers.count { compact(&s) }
          return sleeper
        }
        if s.arriving.contains(id) { s.cancelledEarly.insert(id) }
        return nil
      }
      sleeper?.continuation.resume(returning: .cancelled)
    }
  }

  /// A task that waits for `watch`'s breaker to open, then wakes the sleepers watching it. It ends with the
  /// timer (cancelled in `deinit`).
  private func watcher(_ watch: Watch) -> Task<Void, Never> {
    Task { [weak self] in
      guard let error = await watch.breaker.waitUntilOpen(watch.key) else { return }
      self?.open(watch.id, error)
    }
  }

  /// `id`'s breaker opened: its sleepers wake, and later ones return at once.
  private func open(_ id: WatchID, _ error: ProviderError) {
    let woken = state.withLock { s -> [Sleeper] in
      s.opened[id] = error
      let ids = s.sleepers.filter { $0.value.watch == id }.map(\.key)
      return ids.compactMap { s.sleepers.removeValue(forKey: $0) }
    }
    for sleeper in woken { sleeper.continuation.resume(returning: .opened(error)) }
  }

  /// Wakes the sleepers whose deadline passed and arms the clock for the next one.
  private func fire() {
    let now = ContinuousClock.now
    let due = state.withLock { s -> [Sleeper] in
      s.armed = nil
      var due: [Sleeper] = []
      while let top = s.heap.first {
        guard let sleeper = s.sleepers[top.id] else {
          pop(&s)
          continue
        }
        guard top.deadline <= now else {
          arm(top.deadline, &s)
          break
        }
        pop(&s)
        s.sleepers[top.id] = nil
        due.append(sleeper)
      }
      return due
    }
    for sleeper in due { sleeper.continuation.resume(returning: .deadline) }
  }

  /// Replaces the clock sleep under way with one until `deadline`.
  private func arm(_ deadline: ContinuousClock.Instant, _ s: inout State) {
    s.armed?.task.cancel()
    let task = Task { [weak self] in
      guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
      self?.fire()
    }
    s.armed = (deadline, task)
  }

  private static func before(_ a: Entry, _ b: Entry) -> Bool {
    a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id)
  }

  private func push(_ entry: Entry, _ s: inout State) {
    s.heap.append(entry)
    var child = s.heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard DeadlineTimer.before(s.heap[child], s.heap[parent]) else { break }
      s.heap.swapAt(child, parent)
      child = parent
    }
  }

  private func pop(_ s: inout State) {
    let last = s.heap.removeLast()
    guard !s.heap.isEmpty else { return }
    s.heap[0] = last
    siftDown(0, &s)
  }

  private func siftDown(_ start: Int, _ s: inout State) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      guard left < s.heap.count else { return }
      var child = left
      if left + 1 < s.heap.count, DeadlineTimer.before(s.heap[left + 1], s.heap[left]) { child = left + 1 }
      guard DeadlineTimer.before(s.heap[child], s.heap[parent]) else { return }
      s.heap.swapAt(child, parent)
      parent = child
    }
  }

  /// Keeps only the entries of sleepers still waiting.
  private func compact(_ s: inout State) {
    let sleepers = s.sleepers
    s.heap.removeAll { sleepers[$0.id] == nil }
    for i in stride(from: s.heap.count / 2 - 1, through: 0, by: -1) { siftDown(i, &s) }
  }
}
