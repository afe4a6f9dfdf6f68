import Testing
@testable import CurioVisits
