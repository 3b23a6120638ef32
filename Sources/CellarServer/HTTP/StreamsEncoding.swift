import CellarCore
import CellarQuery
import LogPipeline

/// Writes a log query's entries as Loki's `streams` result, streams in label order. By default entries are grouped by all their
/// labels (stream, structured metadata and parsed merged); with `categorize-labels` they are grouped by
/// stream labels only and each entry carries its metadata and parsed labels as a third element.
enum StreamsEncoding {
    static func write(_ entries: [ResultEntry], categorize: Bool, into writer: inout JSONWriter) {
        var order: [Labels] = []
        var groups: [Labels: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            let key = categorize ? entry.labels.stream : entry.labels.all
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        // Loki sorts the streams of a result by their label text (`logqlmodel.Streams`).
        let sorted = order.map { (text: $0.description, labels: $0) }.sorted { $0.text.utf8.lexicographicallyPrecedes($1.text.utf8) }
        writer.beginArray()
        for key in sorted.map(\.labels) {
            writer.beginObject()
            writer.key("stream")
            writer.object(key)
            writer.key("values")
            writer.beginArray()
            for index in groups[key]! {
                let entry = entries[index]
                writer.beginArray()
                writer.string(String(entry.timestamp))
                writer.string(entry.line)
                if categorize {
                    writer.beginObject()
                    if !entry.labels.structuredMetadata.isEmpty {
                        writer.key("structuredMetadata")
                        writer.object(entry.labels.structuredMetadata)
                    }
                    if !entry.labels.parsed.isEmpty {
                        writer.key("parsed")
                        writer.object(entry.labels.parsed)
                    }
                    writer.endObject()
                }
                writer.endArray()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
    }

    /// Loki's `stats` object, with the figures Grafana and logcli read.
    static func writeStatistics(_ statistics: QueryStatistics, into writer: inout JSONWriter) {
        let seconds = max(statistics.executionSeconds, 1e-9)
        let bytes = Int64(statistics.decompressedBytes)
        let lines = Int64(statistics.linesScanned)
        writer.beginObject()
        writer.key("summary")
        writer.beginObject()
        writer.key("bytesProcessedPerSecond"); writer.number(Int64(Double(bytes) / seconds))
        writer.key("linesProcessedPerSecond"); writer.number(Int64(Double(lines) / seconds))
        writer.key("totalBytesProcessed"); writer.number(bytes)
        writer.key("totalLinesProcessed"); writer.number(lines)
        writer.key("execTime"); writer.number(statistics.executionSeconds)
        writer.key("queueTime"); writer.number(Int64(0))
        writer.endObject()
        writer.key("store")
        writer.beginObject()
        writer.key("totalChunksRef"); writer.number(Int64(statistics.chunksMatched))
        writer.key("totalChunksDownloaded"); writer.number(Int64(statistics.chunksOpened))
        writer.key("chunk")
        writer.beginObject()
        writer.key("compressedBytes"); writer.number(Int64(statistics.compressedBytes))
        writer.key("decompressedBytes"); writer.number(bytes)
        writer.key("decompressedLines"); writer.number(lines)
        writer.key("totalDuplicates"); writer.number(Int64(statistics.duplicates))
        writer.endObject()
        writer.endObject()
        writer.endObject()
    }
}
