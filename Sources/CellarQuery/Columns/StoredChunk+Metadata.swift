import CellarStore
import LogPipeline

extension StoredChunk {
    /// Whether the chunk's structured metadata leaves a column-answered query unchanged. Metadata joins
    /// each line's labels, and columns do not hold it; it cannot matter when the query's series keep only
    /// labels it names (`visible` non-nil) and none of those names is a metadata name or the
    /// `_extracted` name a parsed field takes when it collides with one.
    func metadataIsInvisible(to visible: Set<String>?) -> Bool {
        guard hasMetadata else { return true }
        guard let visible, let metadataNames else { return false }
        return !metadataNames.contains { visible.contains($0) || visible.contains($0 + ColumnFieldText.duplicateSuffix) }
    }
}
