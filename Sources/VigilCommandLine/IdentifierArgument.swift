import ArgumentParser
import VigilWire

/// The id grammar (`Identifier`) where a person types an id: a person's, a device's or an operator's.
/// Ids become MQTT topic levels and broker user names, so one that breaks the grammar is refused at
/// the door, with one sentence that says what an id may hold.
public enum IdentifierArgument {
    public static let rule = "1–\(Identifier.maxLength) characters of letters A–Z a–z, digits and . _ : - (no spaces or accents)"

    /// `what` names the id for the person: "--operator", "The device id".
    public static func check(_ id: String, as what: String) throws {
        guard Identifier.isValid(id) else { throw ValidationError("\(what) \"\(id)\" must be \(rule).") }
    }
}
