import NIOCore

/// Sends the bodies over `connections` concurrent connections, each connection working through its
/// share (bodies c, c + connections, …) one push at a time, as that many shippers would.
enum PushPhase {
    static func run(_ bodies: [ByteBuffer], format: PushFormat = .json, connections: Int,
                    endpoint: LokiEndpoint) async throws -> Duration {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<min(connections, bodies.count) {
                group.addTask {
                    var index = worker
                    while index < bodies.count {
                        try await endpoint.push(bodies[index], format: format)
                        index += connections
                    }
                }
            }
            try await group.waitForAll()
        }
        return ContinuousClock.now - start
    }
}
