/// A reference that does not count, for the immutable objects a stage reads on every line (rules,
/// conditions, label sources) while something else owns them: the `let` beside it that holds the
/// strong reference, for as long as the borrower lives. Calling through it costs no retain and
/// release, which the optimizer otherwise puts around each call on a reference loaded from memory.
struct Borrowed<Object: AnyObject> {
    private let reference: Unmanaged<Object>

    init(_ object: Object) {
        reference = .passUnretained(object)
    }

    @inline(__always)
    func with<Result>(_ body: (Object) throws -> Result) rethrows -> Result {
        try reference._withUnsafeGuaranteedRef(body)
    }
}
