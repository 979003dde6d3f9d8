import ArgumentParser

@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Vigil: the software of a telecare alarm receiving centre.",
        discussion: """
            Devices publish events over MQTT; `vigil serve` stores each one in SQLite, acknowledges it \
            and opens alarms in the response queue. The other commands register people and devices and \
            read the queue.
            """,
        subcommands: [
            Serve.self, Users.self, Devices.self, Operators.self, RespondersCommand.self, RotaCommand.self, Queue.self, ConsoleCommandLine.self, AlarmCommand.self, ShiftCommand.self, AuditCommand.self,
            Stats.self, Import.self, TargetsCommand.self, DemoDataCommand.self, Report.self, BackupCommand.self, RestoreCommand.self, DatabaseCommand.self,
        ]
    )
}

/// `--db PATH`, shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Vigil SQLite database file.", valueName: "PATH"))
    var db: String
}
