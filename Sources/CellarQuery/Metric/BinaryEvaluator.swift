import CellarCore
import LogQL

/// Binary operators between two vectors, or a vector and a number, step by step with Loki's
/// vector matching (`on`/`ignoring`, `group_left`/`group_right`) and its error messages.
struct BinaryEvaluator {
    let operation: BinaryOperation

    /// `vector op number` (`numberOnLeft` false) or `number op vector`; labels are kept as they are.
    func apply(_ vectors: StepVectors, scalar: Double, numberOnLeft: Bool) throws(CellarError) -> StepVectors {
        guard !operation.op.isSetOperator else {
            throw .badRequest("unexpected literal for \(numberOnLeft ? "left" : "right") leg of logical/set binary operation (\(operation.op.rawValue))")
        }
        var output = StepVectors(series: vectors.series, steps: [])
        output.steps.reserveCapacity(vectors.steps.count)
        for samples in vectors.steps {
            var vector: [StepSample] = []
            vector.reserveCapacity(samples.count)
            for sample in samples {
                let (lhs, rhs) = numberOnLeft ? (scalar, sample.value) : (sample.value, scalar)
                if let value = SampleArithmetic.merge(operation.op, lhs, rhs, returnBool: operation.returnBool,
                                                      kept: sample.value) {
                    vector.append(StepSample(series: sample.series, value: value))
                }
            }
            output.steps.append(vector)
        }
        return output
    }

    func apply(_ lhs: StepVectors, _ rhs: StepVectors) throws(CellarError) -> StepVectors {
        var signatures = LabelTable()
        let leftSignatures = lhs.series.labels.map { signatures.intern(signature($0)) }
        let rightSignatures = rhs.series.labels.map { signatures.intern(signature($0)) }
        if operation.op.isSetOperator {
            return setOperation(lhs, rhs, leftSignatures, rightSignatures, signatureCount: signatures.count)
        }
        return try arithmetic(lhs, rhs, leftSignatures, rightSignatures, signatureCount: signatures.count)
    }

    private func signature(_ labels: Labels) -> Labels {
        guard let matching = operation.matching else { return labels }
        let names = Set(matching.labels)
        return matching.on ? labels.keeping(names) : labels.removing(names)
    }

    // MARK: and, or, unless

    private func setOperation(_ lhs: StepVectors, _ rhs: StepVectors, _ leftSignatures: [Int32],
                              _ rightSignatures: [Int32], signatureCount: Int) -> StepVectors {
        var output = StepVectors(empty: lhs.steps.count)
        var leftIDs = [Int32](repeating: -1, count: lhs.series.count)
        var rightIDs = [Int32](repeating: -1, count: rhs.series.count)
        func leftID(_ series: Int32) -> Int32 {
            if leftIDs[Int(series)] < 0 { leftIDs[Int(series)] = output.series.intern(lhs.series[series]) }
            return leftIDs[Int(series)]
        }
        func rightID(_ series: Int32) -> Int32 {
            if rightIDs[Int(series)] < 0 { rightIDs[Int(series)] = output.series.intern(rhs.series[series]) }
            return rightIDs[Int(series)]
        }
        var seen = [Bool](repeating: false, count: signatureCount)
        for step in 0..<lhs.steps.count {
            let left = lhs.steps[step]
            let right = rhs.steps[step]
            var vector: [StepSample] = []
            switch operation.op {
            case .and:
                guard !left.isEmpty && !right.isEmpty else { break }
                for sample in right { seen[Int(rightSignatures[Int(sample.series)])] = true }
                for sample in left where seen[Int(leftSignatures[Int(sample.series)])] {
                    vector.append(StepSample(series: leftID(sample.series), value: sample.value))
                }
                for sample in right { seen[Int(rightSignatures[Int(sample.series)])] = false }
            case .or:
                for sample in left {
                    seen[Int(leftSignatures[Int(sample.series)])] = true
                    vector.append(StepSample(series: leftID(sample.series), value: sample.value))
                }
                for sample in right where !seen[Int(rightSignatures[Int(sample.series)])] {
                    vector.append(StepSample(series: rightID(sample.series), value: sample.value))
                }
                for sample in left { seen[Int(leftSignatures[Int(sample.series)])] = false }
            default: // unless
                if !right.isEmpty {
                    for sample in right { seen[Int(rightSignatures[Int(sample.series)])] = true }
                }
                for sample in left where !seen[Int(leftSignatures[Int(sample.series)])] {
                    vector.append(StepSample(series: leftID(sample.series), value: sample.value))
                }
                for sample in right { seen[Int(rightSignatures[Int(sample.series)])] = false }
            }
            output.steps[step] = vector
        }
        return output
    }

    // MARK: arithmetic and comparisons

    private func arithmetic(_ lhs: StepVectors, _ rhs: StepVectors, _ leftSignatures: [Int32],
                            _ rightSignatures: [Int32], signatureCount: Int) throws(CellarError) -> StepVectors {
        let cardinality = operation.matching?.cardinality ?? .oneToOne
        // Loki matches the "many" side against the "one" side; for group_right the sides swap.
        let swapped = cardinality == .oneToMany
        let (many, one) = swapped ? (rhs, lhs) : (lhs, rhs)
        let (manySignatures, oneSignatures) = swapped ? (rightSignatures, leftSignatures) : (leftSignatures, rightSignatures)
        var output = StepVectors(empty: lhs.steps.count)
        var resultIDs: [Int64: Int32] = [:]
        func resultID(many manySeries: Int32, one oneSeries: Int32) -> Int32 {
            let key = Int64(manySeries) << 32 | Int64(UInt32(bitPattern: oneSeries))
            if let id = resultIDs[key] { return id }
            let id = output.series.intern(resultLabels(many.series[manySeries], one.series[oneSeries]))
            resultIDs[key] = id
            return id
        }
        var oneBySignature = [Int32](repeating: -1, count: signatureCount)
        var matched = [Bool](repeating: false, count: signatureCount)
        var grouped: [Int32: Set<Int32>] = [:]
        for step in 0..<lhs.steps.count {
            let oneSamples = one.steps[step]
            let manySamples = many.steps[step]
            defer {
                for sample in oneSamples {
                    let signature = Int(oneSignatures[Int(sample.series)])
                    oneBySignature[signature] = -1
                    matched[signature] = false
                }
                grouped.removeAll(keepingCapacity: true)
            }
            for (position, sample) in oneSamples.enumerated() {
                let signature = Int(oneSignatures[Int(sample.series)])
                if oneBySignature[signature] >= 0 { throw MetricErrors.duplicateSeries(side: swapped ? "left" : "right") }
                oneBySignature[signature] = Int32(position)
            }
            guard !manySamples.isEmpty, !oneSamples.isEmpty else { continue }
            var vector: [StepSample] = []
            for sample in manySamples {
                let signature = manySignatures[Int(sample.series)]
                let position = oneBySignature[Int(signature)]
                guard position >= 0 else { continue }
                let partner = oneSamples[Int(position)]
                let id = resultID(many: sample.series, one: partner.series)
                if cardinality == .oneToOne {
                    if matched[Int(signature)] { throw MetricErrors.manyToOneNotExplicit }
                    matched[Int(signature)] = true
                } else if !grouped[signature, default: []].insert(id).inserted {
                    throw MetricErrors.groupingNotUnique
                }
                let (left, right) = swapped ? (partner.value, sample.value) : (sample.value, partner.value)
                if let value = SampleArithmetic.merge(operation.op, left, right, returnBool: operation.returnBool,
                                                      kept: left) {
                    vector.append(StepSample(series: id, value: value))
                }
            }
            output.steps[step] = vector
        }
        return output
    }

    /// Loki's `resultMetric`: the "many" side's labels, reduced to the `on` labels (or without the
    /// `ignoring` ones) for one-to-one matching, plus the `group_x` labels taken from the "one" side.
    private func resultLabels(_ many: Labels, _ one: Labels) -> Labels {
        guard let matching = operation.matching else { return many }
        var labels = many
        if matching.cardinality == .oneToOne {
            let names = Set(matching.labels)
            labels = matching.on ? labels.keeping(names) : labels.removing(names)
        }
        for name in matching.include {
            if let value = one[name], !value.isEmpty {
                labels = labels.setting(name, to: value)
            } else {
                labels = labels.removing([name])
            }
        }
        return labels
    }
}
