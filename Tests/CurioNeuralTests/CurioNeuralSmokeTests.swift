import Testing
@testable import CurioNeural
