import Testing
@testable import CurioIngest
