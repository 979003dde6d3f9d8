import Foundation
import Testing
@testable import VigilWire

/// The strict reader every untrusted payload goes through (issue 12, section 11).
@Suite("Strict JSON reading")
struct JSONParserTests {
    func read(_ s: String) -> JSONParser.Result? { JSONParser.parse(Array(s.utf8)).map { JSONParser.Result(value: $0.value, problems: $0.problems) } }

    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, "0", "-0.5e-3", "\"\\u00e9\\ud83d\\ude00\\n\"", " [ ] ", "{}", "1E+2",
    ])
    func agreesWithFoundationOnValidJSON(_ text: String) throws {
        let mine = try #require(JSONValue.parse(Array(text.utf8)))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(mine == foundation)
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "\"a", "\"\\x\"", "\"\u{01}\"", "tru", "nul", "{} {}",
                      "\"\\ud800\"", "\"\\udc00\"", "NaN", "Infinity", "{'a':1}"])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(JSONValue.parse(Array(text.utf8)) == nil)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(JSONValue.parse(Array(deep.utf8)) == nil)
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(JSONValue.parse(Array(fine.utf8)) != nil)
    }

    @Test func repeatedKeysAreFoundWithTheirPath() throws {
        let r = try #require(read(#"{"a":{"b":[{"c":1,"c":2}]},"a":3}"#))
        #expect(r.problems == [.duplicateKey(path: "a.b[0].c"), .duplicateKey(path: "a")])
        if case .failure(let f) = JSONValue.read(Array(#"{"type":"heartbeat","type":"fall"}"#.utf8)) {
            #expect(f.reason == .duplicateKey("type"))
        } else {
            Issue.record("a repeated key was read")
        }
    }

    @Test func numbersOutOfRangeAreNamedNotFatal() throws {
        let r = try #require(read(#"{"detail":{"spo2":1e400},"x":-1e999,"tiny":1e-400}"#))
        #expect(r.problems.count == 2)
        #expect(r.problems.contains(.numberOutOfRange(path: "detail.spo2", literal: "1e400")))
        #expect(r.problems.contains(.numberOutOfRange(path: "x", literal: "-1e999")))
        guard case .failure(let f) = JSONValue.readStrict(Array(#"{"battery":1e400}"#.utf8)) else { Issue.record("read 1e400"); return }
        #expect(f.reason == .numberOutOfRange(field: "battery", literal: "1e400"))
        #expect(f.reason.sentence.contains("\"battery\""))
    }
}

extension JSONParser {
    struct Result: Equatable {
        var value: JSONValue
        var problems: [Problem]
    }
}
