import Testing
@testable import CurioRecommend
