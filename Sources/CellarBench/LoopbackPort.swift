#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a TCP port on 127.0.0.1 that nothing listens on, by binding port 0 and reading what the
/// kernel chose. (Another process could take it before the server binds it; on a quiet machine it
/// does not happen, and the server's start then fails loudly.)
public enum LoopbackPort {
    public static func free() throws(BenchError) -> Int {
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { throw BenchError("cannot create a socket to find a free port") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchError("cannot bind 127.0.0.1:0 to find a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw BenchError("cannot read the port the kernel chose") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    #if os(Linux)
    static let streamSocket = Int32(SOCK_STREAM.rawValue)
    static let noSignalFlag = Int32(MSG_NOSIGNAL)
    #else
    static let streamSocket = SOCK_STREAM
    static let noSignalFlag: Int32 = 0
    #endif

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
