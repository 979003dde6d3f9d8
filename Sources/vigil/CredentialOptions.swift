import ArgumentParser

/// `--credentials [--password-file FILE]` for `devices add` and `operators add`.
struct CredentialOptions: ParsableArguments {
    @Flag(help: "Also create the broker login (username = the id) with a new random password, printed once.")
    var credentials = false

    @Option(help: ArgumentHelp("The broker's password file, with --credentials.", valueName: "FILE"))
    var passwordFile: String = BrokerCredentials.defaultPasswordFile

    /// The step that issues the password inside the registration's transaction, or nil without
    /// --credentials. The password is handed to `keep`; the audit gets only where it was written.
    /// Operators also get read access to the live queue through a block appended to `aclFile`.
    func issuer(for username: String, queueACL aclFile: String? = nil, supervisor: Bool = false, _ keep: @escaping (String) -> Void) -> (() throws -> String)? {
        guard credentials else { return nil }
        let broker = BrokerCredentials(passwordFile: passwordFile)
        return { [passwordFile] in
            try broker.checkAvailable(username)
            if let aclFile { try broker.grantQueue(to: username, aclFile: aclFile, supervisor: supervisor) }
            keep(try broker.issue(for: username))
            return "password entry written to \(passwordFile)" + (aclFile.map { "; queue read granted in \($0)" } ?? "")
        }
    }

    func show(username: String, password: String?) {
        guard let password else { return }
        print("""
            broker login for \(username) written to \(passwordFile)
              username: \(username)
              password: \(password)
            This password is shown once and not stored by Vigil. Reload the broker to use it: systemctl reload mosquitto
            """)
    }
}
