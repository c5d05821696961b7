import EvalCore

/// `evalgate list`: the cases a run would make, one line each (id, suite, file:line, title, [provider]), each
/// case made once: the planner's survey shows each kept case as it makes it, and its line goes to a spool that
/// is written out only once planning has succeeded (a case that fails to render, late in a million, leaves
/// standard output empty, as when the listing followed a first pass over every case).
public enum CaseListing {
  /// One case's line, with its line feed.
  public static func line(_ c: EvalCase) -> String {
    "\(c.id)  \(c.suiteID)  \(c.location.file):\(c.location.line)  \(c.title)  [\(c.providerLabel)]\n"
  }

  /// Plans with `planner`, adding each kept case's line to `spool` as the case is made; the caller commits the
  /// spool once this returns.
  /// - Returns: What the planner prepared (its survey counts the cases listed).
  /// - Throws: What ``RunPlanner/prepare()`` throws; the spool then holds lines that must not be written.
  public static func list(_ planner: RunPlanner, into spool: OutputSpool) throws -> RunPlanner.Prepared {
    try planner.prepare(visiting: { spool.append(line($0)) }).0
  }
}
