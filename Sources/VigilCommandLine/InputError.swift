/// Input that cannot be used, said so the person can fix it: which flag, file or key, and what it
/// should look like. Thrown once the command runs (a config file's value, a password file), where the
/// usage text would only hide the sentence; flags are refused earlier, as a `ValidationError`.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
