import CellarCore
import LogPipeline
import LogQL

/// `label_replace(v, "dst", "replacement", "src", "regex")`: when the anchored regex matches the
/// source label's value (absent = ""), `dst` becomes the expanded replacement (removed when that is
/// empty); otherwise the series is unchanged.
struct LabelReplacer {
    let replace: LabelReplace
    let regex: CompiledRegex

    init(_ replace: LabelReplace) throws(CellarError) {
        self.replace = replace
        do {
            regex = try CompiledRegex(replace.regex, anchored: true)
        } catch {
            throw .badRequest("invalid regex in label_replace: \(error.message)")
        }
    }

    func apply(_ input: StepVectors) -> StepVectors {
        var output = StepVectors(empty: input.steps.count)
        let mapping = input.series.labels.map { output.series.intern(relabel($0)) }
        for (step, samples) in input.steps.enumerated() {
            output.steps[step] = samples.map { StepSample(series: mapping[Int($0.series)], value: $0.value) }
        }
        return output
    }

    func relabel(_ labels: Labels) -> Labels {
        guard let expanded = regex.expand(replace.replacement, onMatchOf: labels[replace.source] ?? "") else {
            return labels
        }
        let without = labels.removing([replace.destination])
        return expanded.isEmpty ? without : without.setting(replace.destination, to: expanded)
    }
}
