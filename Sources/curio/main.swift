import CurioKit
import Foundation

print("curio \(CurioVersion.string)")
