/// A log query: a stream selector `{...}` followed by pipeline stages applied left to right.
public struct LogSelectorExpr: Sendable, Hashable {
    public var matchers: [LabelMatcher]
    public var stages: [PipelineStage]

    public init(matchers: [LabelMatcher], stages: [PipelineStage] = []) {
        self.matchers = matchers
        self.stages = stages
    }

    /// The line filters that come before the first stage that is not a line filter; the store can
    /// apply these to raw lines before any parsing.
    public var lineFilters: [LineFilter] {
        var filters: [LineFilter] = []
        for stage in stages {
            guard case .lineFilter(let filter) = stage else { break }
            filters.append(filter)
        }
        return filters
    }

    /// Every line filter that can run on the raw stored line ahead of the whole pipeline: those not
    /// preceded by a stage that rewrites the line (`line_format`, `unpack`, `decolorize`). Filters
    /// commute with parsers and label stages, so applying these first keeps the result the same.
    public var linePrefilters: [LineFilter] {
        var filters: [LineFilter] = []
        for stage in stages {
            switch stage {
            case .lineFilter(let filter): filters.append(filter)
            case .lineFormat, .unpack, .decolorize: return filters
            default: continue
            }
        }
        return filters
    }

    /// True when the pipeline contains a parser stage (`json`, `logfmt`, `regexp`, `pattern`, `unpack`).
    public var hasParser: Bool {
        stages.contains { $0.isParser }
    }

    /// Label names the pipeline reads from labels: label filter names, `label_format` sources,
    /// `drop`/`keep` names. Template references inside `line_format`/`label_format` strings are
    /// not analysed, so `referencesTemplates` says whether templates are present.
    public var referencedLabelNames: Set<String> {
        var names = Set<String>()
        for stage in stages {
            switch stage {
            case .labelFilter(let filter): filter.collectNames(into: &names)
            case .labelFormat(let items):
                for item in items where item.isRename { names.insert(item.value) }
            case .drop(let labels), .keep(let labels):
                for label in labels { names.insert(label.name) }
            default: break
            }
        }
        return names
    }

    /// True when a `line_format` or template `label_format` stage is present (these may read any label).
    public var referencesTemplates: Bool {
        stages.contains { stage in
            switch stage {
            case .lineFormat: true
            case .labelFormat(let items): items.contains { !$0.isRename }
            default: false
            }
        }
    }
}
