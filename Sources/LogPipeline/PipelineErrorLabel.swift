/// Loki's reserved label names for pipeline errors.
public enum PipelineErrorLabel {
    public static let name = "__error__"
    public static let details = "__error_details__"
    public static let json = "JSONParserErr"
    public static let logfmt = "LogfmtParserErr"
    public static let labelFilter = "LabelFilterErr"
    public static let templateFormat = "TemplateFormatErr"
    public static let sampleExtraction = "SampleExtractionErr"
}
