// Writes the file transfer examples' test file, "testdata" in the current
// directory: 1 GiB (1024 blocks of 1 MiB) by default, as the guide does,
// here of random bytes so that a chunk at the wrong offset shows.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

@main
struct MkTestData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mktestdata",
        abstract: "Writes ./testdata for fileio1, fileio2 and fileio3: 1 GiB of random bytes unless --size says otherwise.")

    @Option(help: "Size of the file in bytes (default 1073741824, 1 GiB, as in the guide).")
    var size = 1024 * 1024 * 1024

    struct SystemError: Error, CustomStringConvertible {
        let description: String
        init(_ call: String) { description = "\(call): \(String(cString: strerror(errno)))" }
    }

    func validate() throws {
        guard size >= 0 else { throw ValidationError("the size must be 0 or more") }
    }

    func run() throws {
        guard let random = fopen("/dev/urandom", "r") else { throw SystemError("open /dev/urandom") }
        defer { fclose(random) }
        guard let file = fopen("testdata", "w") else { throw SystemError("open testdata") }
        var block = [UInt8](repeating: 0, count: 1024 * 1024)
        var left = size
        while left > 0 {
            let count = min(left, block.count)
            guard fread(&block, 1, count, random) == count else { throw SystemError("read /dev/urandom") }
            guard fwrite(block, 1, count, file) == count else { throw SystemError("write testdata") }
            left -= count
        }
        guard fclose(file) == 0 else { throw SystemError("close testdata") }
    }
}
