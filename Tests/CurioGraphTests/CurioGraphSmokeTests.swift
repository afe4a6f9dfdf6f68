import Testing
@testable import CurioGraph
