import Testing
@testable import CurioCore
