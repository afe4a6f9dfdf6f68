/// The root command: `curio <command>`.
struct CurioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "curio",
        abstract: "A multimodal recommendation engine for cultural heritage collections.",
        discussion: """
            Every command works on one database file (--db, default ./curio.db). With --json, results are \
            written to stdout as JSON with snake_case keys; logs and progress always go to stderr.
            Exit codes: 0 success, 64 usage error, 65 bad input data, 66 missing input, 69 unavailable \
            dependency, 70 internal error.
            """,
        examples: [
            "curio init",
            "curio ingest --format tate data/sample/tate",
            "curio items list --maker Turner --from 1800 --to 1850",
            "curio search \"stormy sea\" --k 5",
            "curio serve --port 8080",
        ],
        subcommands: CommandRegistry.commands)
}

/// The commands `curio` knows, in the order `curio --help` lists them.
///
/// Adding a command is one line here (a group such as `models` lists its own subcommands).
enum CommandRegistry {
    static let commands: [any ParsableCommand.Type] = [
        InitCommand.self,
        IngestCommand.self,
        StatsCommand.self,
        ItemsCommand.self,
        VisitorsCommand.self,
        SearchCommand.self,
        EmbedCommand.self,
        ServeCommand.self,
        ModelsCommand.self,
        SimulateCommand.self, TrainCommand.self, EvaluateCommand.self, TuneCommand.self, RecommendCommand.self, SimilarCommand.self, FuseCommand.self,
        PoliciesCommand.self, GraphCommand.self, VenueCommand.self, TourCommand.self, NextCommand.self, ChatCommand.self,
    ]
}
