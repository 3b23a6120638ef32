#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loki's evaluation of a binary operation between two numbers, done while parsing (`1 + 1` → `2`).
enum ScalarFolding {
    static func apply(_ op: BinaryOp, _ lhs: Double, _ rhs: Double) -> Double {
        switch op {
        case .add: lhs + rhs
        case .subtract: lhs - rhs
        case .multiply: lhs * rhs
        // Loki answers NaN for division and modulo by zero.
        case .divide: rhs == 0 ? .nan : lhs / rhs
        case .modulo: rhs == 0 ? .nan : lhs.truncatingRemainder(dividingBy: rhs)
        case .power: pow(lhs, rhs)
        case .equal: lhs == rhs ? 1 : 0
        case .notEqual: lhs != rhs ? 1 : 0
        case .greater: lhs > rhs ? 1 : 0
        case .greaterOrEqual: lhs >= rhs ? 1 : 0
        case .less: lhs < rhs ? 1 : 0
        case .lessOrEqual: lhs <= rhs ? 1 : 0
        case .or, .and, .unless: lhs
        }
    }

    /// Go's `%f`: six decimals.
    static func fixed6(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 9e12 else { return value.description }
        let scaled = (value.magnitude * 1_000_000).rounded()
        let whole = Int64(scaled) / 1_000_000
        let fraction = String(Int64(scaled) % 1_000_000)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return "\(sign)\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
