import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process the bench starts (`logcellar serve …`), with its output sent to a log file so the
/// bench's own output stays readable. Used from one task only, hence not `Sendable`.
public final class ServerProcess {
    /// How a child ended.
    public enum Exit: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exit code \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    public let pid: pid_t
    public let logPath: String
    public private(set) var exit: Exit?

    private init(pid: pid_t, logPath: String) {
        self.pid = pid
        self.logPath = logPath
    }

    /// Starts `executable` with `arguments`; stdout and stderr are appended to `logPath`, stdin is
    /// /dev/null. Throws if the spawn itself fails (missing or non-executable file).
    public static func launch(executable: String, arguments: [String], logPath: String) throws(BenchError) -> ServerProcess {
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        // The child starts with no blocked signals and default dispositions, as from a shell: a blocked
        // or ignored SIGTERM inherited from this process (test runners and runtimes set such masks)
        // would make the graceful-shutdown figure meaningless.
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        guard result == 0 else {
            throw BenchError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ServerProcess(pid: pid, logPath: logPath)
    }

    /// Reaps the child if it has ended; returns how it ended, or nil while it runs.
    @discardableResult
    public func poll() -> Exit? {
        if let exit { return exit }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        // WIFEXITED/WEXITSTATUS/WTERMSIG are macros Swift cannot import.
        let signal = status & 0x7F
        exit = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        return exit
    }

    public var isRunning: Bool { poll() == nil }

    public func send(_ signal: Int32) {
        guard isRunning else { return }
        kill(pid, signal)
    }

    /// Waits up to `timeout` for the child to end; nil if it is still running.
    public func waitForExit(timeout: Duration) async -> Exit? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let exit = poll() { return exit }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return poll()
    }

    /// SIGTERM, then SIGKILL if the child has not ended after `grace`. Returns the exit and whether
    /// the kill was needed.
    @discardableResult
    public func stop(grace: Duration) async -> (exit: Exit?, killed: Bool) {
        send(SIGTERM)
        if let exit = await waitForExit(timeout: grace) { return (exit, false) }
        send(SIGKILL)
        return (await waitForExit(timeout: .seconds(5)), true)
    }

    /// The last `maxBytes` of the child's log, for error messages.
    public func logTail(maxBytes: Int = 2_000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }
}

/// A failure that stops the benchmark, with a message for the person running it.
public struct BenchError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
