import Foundation

/// One run of the built `logcellar` binary: its exit status, standard output and standard error.
struct CommandRun {
    var status: Int32
    var output: String
    var error: String

    /// Runs the binary with `arguments`, `input` (a file, else nothing) as standard input, in
    /// `directory` when given.
    static func run(_ arguments: [String], input: URL? = nil, in directory: URL? = nil) throws -> CommandRun {
        let process = Process()
        process.executableURL = ServerProcess.binaryURL()
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
        // stderr is a few lines at most, so reading stdout to its end first cannot stall the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                          error: String(decoding: errorData, as: UTF8.self))
    }
}
