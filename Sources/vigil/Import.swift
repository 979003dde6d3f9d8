import ArgumentParser
import Foundation
import VigilStore

extension ImportKind: ExpressibleByArgument {}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import people, devices, responders, survey responses, referrals, care homes or past alarms from a CSV file.",
        discussion: """
            The first line names the columns (any order, any case; `Start Date` reads as start_date). All or \
            nothing: if any row is bad, nothing is stored and every bad row is listed with its line number, \
            unless --skip-bad is given. Imports are upserts: the same file twice changes nothing, so each \
            month's full export can be imported as it is. --dry-run lists what would change and stores nothing.
              users:      id, name, start_date; optional area, groups (a;b), date_of_birth, living, funding,
                          care_home, end_date, end_reason. A row for a known id and start_date updates the
                          person (a changed area or groups) and, with an end_date, ends that period; a row
                          with a new start_date adds a period (someone who came back).
              devices:    id, user_id, kind; optional heartbeat_seconds
              responders: user_id, position, name, kind (keyholder|mobile-response|gp), phone
              surveys:    user_id, responded_on, respondent (user|carer), overall (1–5); optional feel_safe, recommend
              referrals:  id, received_date, source (hospital|gp|social-care|health|self|family|other); optional
                          user_id, groups (a;b), urgent (yes|no), outcome (installed|declined|not-eligible),
                          installed_date. A later row for the same id adds the outcome or installation day.
              carehomes:  name; optional video_support_from, telehealth_from (the days each went live).
              alarms:     id (the previous system's reference), user_id, type, raised_at, resolved_at, outcome;
                          optional priority (1–3; triage's usual one for the type if empty), claimed_at,
                          operator, escalations, care_home (the person's if empty). Times are
                          YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS] in --timezone unless they end
                          in Z or an offset (+01:00). An alarm already imported is not changed.
            Dates are YYYY-MM-DD or DD/MM/YYYY; codes (dementia, LTC, council) in any case. Phone numbers are
            UK numbers (01632 960123, 07700 900123, +44 7700 900123). Every change is audited by id.
            """)

    @Argument(help: ArgumentHelp("What the file holds: users, devices, responders, surveys, referrals, carehomes or alarms.", valueName: "KIND")) var kind: ImportKind
    @Argument(help: ArgumentHelp("The CSV file.", valueName: "FILE.csv")) var file: String
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Import the good rows and list the bad ones instead of refusing the whole file.") var skipBad = false
    @Flag(help: "Show what would change (new, updated, ended, refused, with line numbers) and store nothing.") var dryRun = false

    @Option(help: ArgumentHelp("The service's time zone: an alarm time without an offset is a local time there.", valueName: "ZONE"))
    var timezone: String = "Europe/London"

    func run() throws {
        let zone = try ServiceDay.zone(timezone)
        let header: [String], rows: [ImportRow]
        do { (header, rows) = try CSVImportFile.read(file) } catch { throw UserFacingError(error.description) }
        let db = try openDatabase(database)
        // A bar only for files big enough to take a noticeable moment.
        let bar = rows.count > 5_000 ? ProgressBar(label: "importing \(kind.rawValue)") : nil
        do {
            let result = try Importer(db).run(kind, header: header, rows: rows, skipBad: skipBad, dryRun: dryRun, now: nowMillis(), timeZone: zone) { done, total in
                bar?.show(done, of: total)
            }
            bar?.finish()
            if dryRun {
                print("dry run of \(file), nothing stored: \(result.summary)")
                for c in result.changes { print("  \(c)") }
                for p in result.skipped { print("  \(p) (refused)") }
                return
            }
            print("imported \(result.imported) \(kind.rawValue) row\(result.imported == 1 ? "" : "s") from \(file): \(result.summary)")
            if !result.skipped.isEmpty {
                print("skipped \(result.skipped.count) bad row\(result.skipped.count == 1 ? "" : "s"):")
                for p in result.skipped { print("  \(p)") }
            }
        } catch let e as ImportRejected {
            bar?.finish()
            throw UserFacingError("\(file): \(e)")
        } catch let e as ImportHeaderError {
            throw UserFacingError("\(file): \(e)")
        }
    }
}

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressBar {
    let label: String
    init(label: String) { self.label = label }

    func show(_ done: Int, of total: Int) {
        let width = 30, filled = total > 0 ? done * width / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
