#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LogQL

/// Loki's `MergeBinOp` on two values: division and modulo by zero give NaN (not ±Inf as in
/// Prometheus), comparisons give 1 or 0.
enum SampleArithmetic {
    static func apply(_ op: BinaryOp, _ lhs: Double, _ rhs: Double) -> Double {
        switch op {
        case .add: lhs + rhs
        case .subtract: lhs - rhs
        case .multiply: lhs * rhs
        case .divide: rhs == 0 ? .nan : lhs / rhs
        case .modulo: rhs == 0 ? .nan : fmod(lhs, rhs)
        case .power: pow(lhs, rhs)
        case .equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual: holds(op, lhs, rhs) ? 1 : 0
        // Set operators never reach here (they work on label sets, not values).
        case .or, .and, .unless: lhs
        }
    }

    static func holds(_ op: BinaryOp, _ lhs: Double, _ rhs: Double) -> Bool {
        switch op {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        default: false
        }
    }

    /// The sample a vector operation keeps, or nil when a filtering comparison drops it. For a
    /// filtering comparison the kept value is `kept` (the vector side's value, or the left one).
    @inline(__always)
    static func merge(_ op: BinaryOp, _ lhs: Double, _ rhs: Double, returnBool: Bool, kept: Double) -> Double? {
        guard op.isComparison else { return apply(op, lhs, rhs) }
        let result = holds(op, lhs, rhs)
        if returnBool { return result ? 1 : 0 }
        return result ? kept : nil
    }
}
