/// A message received from the broker, copied out of libmosquitto's buffers (it frees them when the
/// callback returns).
public struct MQTTMessage: Sendable, Equatable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int32
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// What happened on the connection during one turn of the loop.
public enum MQTTEvent: Sendable, Equatable {
    /// CONNACK arrived; `code` 0 means accepted, otherwise the broker's refusal code.
    case connected(code: Int32)
    case disconnected(code: Int32)
    case message(MQTTMessage)
    /// The broker acknowledged our QoS 1 publish with this message id.
    case published(mid: Int32)
    case subscribed(mid: Int32)
}
