import Testing
@testable import CurioStore
