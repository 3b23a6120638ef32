import CellarCore
import LogQL

/// `sum avg min max count stddev stdvar topk bottomk sort sort_desc` over each step's vector, with
/// Loki's arithmetic (incremental mean, Welford variance, NaN replaced by the next value in min/max).
struct VectorAggregator {
    let aggregation: VectorAggregation

    func apply(_ input: StepVectors) -> StepVectors {
        // The group of each input series, computed once rather than per sample.
        var groups = LabelTable()
        var groupOf: [Int32] = []
        groupOf.reserveCapacity(input.series.count)
        for labels in input.series.labels {
            groupOf.append(groups.intern(groupLabels(labels)))
        }
        switch aggregation.op {
        case .topk, .bottomk, .sort, .sortDesc, .approxTopk:
            return select(input, groupOf: groupOf, groupCount: groups.count)
        default:
            return reduce(input, groupOf: groupOf, groups: groups)
        }
    }

    private func groupLabels(_ labels: Labels) -> Labels {
        guard let grouping = aggregation.grouping else { return .empty }
        let names = Set(grouping.labels)
        return grouping.without ? labels.removing(names) : labels.keeping(names)
    }

    private struct Group {
        var value = 0.0
        var mean = 0.0
        var count = 0
    }

    private func reduce(_ input: StepVectors, groupOf: [Int32], groups: LabelTable) -> StepVectors {
        var output = StepVectors(series: groups, steps: Array(repeating: [], count: input.steps.count))
        var state = [Group](repeating: Group(), count: groups.count)
        var touched = [Bool](repeating: false, count: groups.count)
        var order: [Int32] = []
        for (step, samples) in input.steps.enumerated() where !samples.isEmpty {
            order.removeAll(keepingCapacity: true)
            for sample in samples {
                let group = groupOf[Int(sample.series)]
                let value = sample.value
                if !touched[Int(group)] {
                    touched[Int(group)] = true
                    order.append(group)
                    let initial = aggregation.op == .stddev || aggregation.op == .stdvar ? 0 : value
                    state[Int(group)] = Group(value: initial, mean: value, count: 1)
                    continue
                }
                var current = state[Int(group)]
                switch aggregation.op {
                case .sum:
                    current.value += value
                case .avg:
                    current.count += 1
                    current.mean += (value - current.mean) / Double(current.count)
                case .max:
                    if current.value < value || current.value.isNaN { current.value = value }
                case .min:
                    if current.value > value || current.value.isNaN { current.value = value }
                case .count:
                    current.count += 1
                case .stddev, .stdvar:
                    current.count += 1
                    let delta = value - current.mean
                    current.mean += delta / Double(current.count)
                    current.value += delta * (value - current.mean)
                default:
                    break
                }
                state[Int(group)] = current
            }
            var vector: [StepSample] = []
            vector.reserveCapacity(order.count)
            for group in order {
                touched[Int(group)] = false
                let current = state[Int(group)]
                let value: Double
                switch aggregation.op {
                case .avg: value = current.mean
                case .count: value = Double(current.count)
                case .stddev: value = (current.value / Double(current.count)).squareRoot()
                case .stdvar: value = current.value / Double(current.count)
                default: value = current.value
                }
                vector.append(StepSample(series: group, value: value))
            }
            output.steps[step] = vector
        }
        return output
    }

    /// `topk`/`bottomk` keep the `k` highest/lowest samples of each group with their own labels;
    /// `sort`/`sort_desc` keep all of them in value order. NaN ranks lowest for `topk` and highest
    /// for `bottomk` and comes last in both sorts, as with Loki's heaps; equal values order by labels.
    private func select(_ input: StepVectors, groupOf: [Int32], groupCount: Int) -> StepVectors {
        let descending = aggregation.op == .topk || aggregation.op == .sortDesc || aggregation.op == .approxTopk
        let limit = aggregation.op == .sort || aggregation.op == .sortDesc ? Int.max : Int(aggregation.parameter ?? 0)
        var output = StepVectors(series: input.series, steps: Array(repeating: [], count: input.steps.count))
        guard limit > 0 else { return output }
        let labels = input.series.labels
        func precedes(_ a: StepSample, _ b: StepSample) -> Bool {
            if a.value.isNaN || b.value.isNaN {
                if a.value.isNaN != b.value.isNaN { return b.value.isNaN }
            } else if a.value != b.value {
                return descending ? a.value > b.value : a.value < b.value
            }
            return LabelOrder.less(labels[Int(a.series)], labels[Int(b.series)])
        }
        var members = [[StepSample]](repeating: [], count: groupCount)
        var order: [Int32] = []
        for (step, samples) in input.steps.enumerated() where !samples.isEmpty {
            order.removeAll(keepingCapacity: true)
            for sample in samples {
                let group = groupOf[Int(sample.series)]
                if members[Int(group)].isEmpty { order.append(group) }
                members[Int(group)].append(sample)
            }
            var vector: [StepSample] = []
            for group in order {
                var chosen = members[Int(group)]
                members[Int(group)].removeAll(keepingCapacity: true)
                chosen.sort(by: precedes)
                vector.append(contentsOf: chosen.prefix(limit))
            }
            output.steps[step] = vector
        }
        return output
    }
}
