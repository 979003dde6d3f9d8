import ArgumentParser

/// `--operator ID [--username NAME] [--password-file FILE]`: who is acting, and how they log in to the
/// broker. Shared by `vigil console` and `vigil alarm`, so an operator's login works the same in both.
public struct OperatorLogin: ParsableArguments {
    @Option(help: "Your operator id.")
    public var `operator`: String

    @Option(help: "Your broker user name (default: your operator id, when a password file is given).")
    public var username: String?

    @Option(help: ArgumentHelp("A file holding your broker password.", valueName: "FILE"))
    public var passwordFile: String?

    public init() {}

    public func validate() throws {
        try IdentifierArgument.check(`operator`, as: "--operator")
    }

    /// What to give the broker. With a password file: `--username`, else the operator id (the id an
    /// operator's broker login is issued under). Without one: `--username` if given, else nothing, for
    /// a development broker that allows anonymous clients.
    public func credentials() throws -> (username: String?, password: String?) {
        let password = try passwordFile.map(PasswordFile.read)
        return (username ?? (password == nil ? nil : `operator`), password)
    }
}
