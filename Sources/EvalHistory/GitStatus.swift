/// What `git status --porcelain=v2 --branch --untracked-files=no` says of a work tree: its commit, its branch
/// and whether tracked files changed, from one git process (three before: `rev-parse HEAD`, `status` and
/// `rev-parse --abbrev-ref HEAD`, each a process start while a run's first calls were in flight).
struct GitStatus: Equatable {
  /// The commit checked out (`nil` before the first commit).
  var commit: String?
  /// The branch checked out (`nil` on a detached head).
  var branch: String?
  /// Whether any tracked file differs from the commit (staged or not).
  var dirty: Bool
}

extension GitStatus {
  /// Reads the porcelain v2 output: `# branch.oid <commit>` (`(initial)` before the first commit),
  /// `# branch.head <branch>` (`(detached)`), then a line per changed entry.
  init(porcelainV2 text: String) {
    self.init(commit: nil, branch: nil, dirty: false)
    for line in text.split(whereSeparator: \.isNewline) {
      if line.hasPrefix("# branch.oid ") {
        let oid = String(line.dropFirst("# branch.oid ".count))
        commit = oid == "(initial)" ? nil : oid
      } else if line.hasPrefix("# branch.head ") {
        let head = String(line.dropFirst("# branch.head ".count))
        branch = head == "(detached)" ? nil : head
      } else if !line.hasPrefix("#") {
        dirty = true
      }
    }
  }
}
