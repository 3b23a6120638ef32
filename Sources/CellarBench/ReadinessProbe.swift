#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks `GET /ready` over a plain blocking socket on 127.0.0.1. The restart-to-ready figure is tens of
/// milliseconds, so the probe must cost microseconds and must not back off as a pooled HTTP client
/// does after refused connections.
public enum ReadinessProbe {
    /// The HTTP status of one `GET path`, or nil if nothing accepted the connection or it broke.
    public static func status(port: Int, path: String = "/ready", timeoutMillis: Int = 2_000) -> Int? {
        let descriptor = socket(AF_INET, LoopbackPort.streamSocket, 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var timeout = timeval()
        timeout.tv_sec = .init(timeoutMillis / 1000)
        timeout.tv_usec = .init(timeoutMillis % 1000 * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = LoopbackPort.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, LoopbackPort.noSignalFlag) }
        guard sent == request.count else { return nil }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        // The status line is all that is needed: "HTTP/1.1 200 OK".
        while !response.contains(0x0A) {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response.append(contentsOf: chunk[0..<count])
        }
        return parseStatus(response)
    }

    static func parseStatus(_ response: [UInt8]) -> Int? {
        let line = response.prefix { $0 != 0x0D && $0 != 0x0A }
        let parts = line.split(separator: UInt8(ascii: " "))
        guard parts.count >= 2, parts[0].starts(with: Array("HTTP/".utf8)) else { return nil }
        return Int(String(decoding: parts[1], as: UTF8.self))
    }

    /// Polls every millisecond until `GET /ready` answers 200; returns the time waited, or throws when
    /// `process` ends first or `timeout` passes.
    public static func waitUntilReady(port: Int, process: ServerProcess?, timeout: Duration,
                                      since start: ContinuousClock.Instant = .now) async throws(BenchError) -> Duration {
        let deadline = start + timeout
        var lastStatus: Int?
        while ContinuousClock.now < deadline {
            if let process, let exit = process.poll() {
                throw BenchError("the server ended (\(exit)) before it was ready")
            }
            lastStatus = status(port: port)
            if lastStatus == 200 { return ContinuousClock.now - start }
            try? await Task.sleep(for: .milliseconds(1))
        }
        let seen = lastStatus.map { "it last answered \($0)" } ?? "nothing answered"
        throw BenchError("the server was not ready within \(timeout) on 127.0.0.1:\(port) (\(seen))")
    }
}
