import Testing
@testable import CurioKit
