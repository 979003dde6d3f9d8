/// A failure from the store: the SQLite result code, what Vigil was doing, and SQLite's own message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var operation: String
    public var message: String

    public init(code: Int32, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message) (SQLite code \(code))" }

    /// A constraint the schema enforces (UNIQUE, CHECK, NOT NULL, FOREIGN KEY) was violated.
    public var isConstraint: Bool { code & 0xff == 19 }
}
