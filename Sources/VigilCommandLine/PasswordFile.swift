import Foundation

/// A broker password kept in a file: never on the command line, where other local users could read it
/// in /proc. The one reader for `vigil serve`'s `password_file:`, the console and `vigil alarm`.
public enum PasswordFile {
    /// The file's text without the line break an editor leaves at its end.
    public static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError("Cannot read the password file \(path): check that it exists and that this user may read it.")
        }
        let password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !password.isEmpty else { throw InputError("The password file \(path) is empty: put the broker password in it.") }
        return password
    }
}
