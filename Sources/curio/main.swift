import Foundation

// Everything lives in library-style files; main only hands the arguments over and exits with the result.
OpenBLASCoreSelection.ensure()
let status = CommandRunner(root: CurioCommand.self).run(Array(CommandLine.arguments.dropFirst()))
exit(status)
