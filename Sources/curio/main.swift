import CurioKit
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "models" {
    exit(ModelsCommand.run(Array(arguments.dropFirst())))
}
print("curio \(CurioVersion.string)")
