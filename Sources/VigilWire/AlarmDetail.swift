/// The selected alarm's person and history, as the console's detail pane shows it: read by the
/// daemon in one go and sent in the reply to a `detail` command.
public struct AlarmDetail: Codable, Sendable, Equatable {
    /// One row of a two-column list. On the wire a pair of strings, `["pend-1 (pendant)", "battery 77 %, …"]`,
    /// which keeps a list of thirty audit rows short.
    public struct Line: Codable, Sendable, Equatable {
        public var left: String
        public var right: String

        public init(_ left: String, _ right: String) {
            self.left = left
            self.right = right
        }

        public init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            left = try c.decode(String.self)
            right = try c.decode(String.self)
            guard c.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "A line is a pair of strings.")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(left)
            try c.encode(right)
        }
    }

    public var person: String
    public var address: String
    public var access: String
    public var conditions: String
    public var groups: [String]
    public var devices: [Line]
    public var responders: [Line]
    public var recent: [Line]
    public var events: [Line]
    public var audit: [Line]

    public init(person: String, address: String = "", access: String = "", conditions: String = "", groups: [String] = [], devices: [Line] = [], responders: [Line] = [], recent: [Line] = [], events: [Line] = [], audit: [Line] = []) {
        self.person = person
        self.address = address
        self.access = access
        self.conditions = conditions
        self.groups = groups
        self.devices = devices
        self.responders = responders
        self.recent = recent
        self.events = events
        self.audit = audit
    }

    /// A line of the ordered call list: "2. Ray Clarke (family)" and the number to ring. The console
    /// picks a contact by the number shown, through `contact(numbered:)`.
    public static func contactLine(position: Int, name: String, kind: String, phone: String) -> Line {
        Line("\(position). \(name) (\(kind))", phone)
    }

    /// The contact shown as number `n` in the call list ("Ray Clarke (family)"), or nil.
    public func contact(numbered n: Int) -> String? {
        let mark = "\(n). "
        return responders.first { $0.left.hasPrefix(mark) }.map { String($0.left.dropFirst(mark.count)) }
    }
}
