import Testing
@testable import CurioServer
