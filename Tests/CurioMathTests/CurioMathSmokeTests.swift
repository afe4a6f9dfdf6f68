import Testing
@testable import CurioMath
