import EvalCore
import Foundation
import GRDB

/// `is-sql`'s parser: SQLite's own, compiling every statement against an empty in-memory database. A
/// statement naming a table, column or function the empty database lacks still parsed: only SQLite's syntax
/// errors (`syntax error`, `incomplete input`, `unrecognized token`) count.
public struct SQLiteSyntaxChecker: SQLSyntaxChecker {
  /// Creates a checker.
  public init() {}

  public func syntaxError(in sql: String) -> String? {
    do {
      let queue = try DatabaseQueue()
      return try queue.read { db -> String? in
        let statements = try db.allStatements(sql: sql)
        while true {
          do {
            guard try statements.next() != nil else { return nil }
          } catch let error as DatabaseError {
            let message = error.message ?? "\(error)"
            let syntax = ["syntax error", "incomplete input", "unrecognized token"].contains {
              message.contains($0)
            }
            if syntax { return message }
            // A missing table or column: the statement parsed; later statements are not compiled then.
            return nil
          }
        }
      }
    } catch {
      return "\(error)"
    }
  }
}
