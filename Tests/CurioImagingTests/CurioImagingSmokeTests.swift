import Testing
@testable import CurioImaging
