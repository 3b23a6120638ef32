/// Go reference-time layouts (`2006-01-02 15:04:05.000`), as the template functions and the ingest
/// pipelines' `timestamp` stage read them.
public enum GoTimeLayout {
    /// Unix nanoseconds of `text` read with `layout` (times without a zone are UTC); nil when it does not fit.
    public static func parse(layout: String, _ text: String) -> Int64? {
        GoTime.parse(layout: layout, text)
    }
}
