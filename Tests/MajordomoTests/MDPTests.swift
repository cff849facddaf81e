import Majordomo
import Testing
import ZHelpers
