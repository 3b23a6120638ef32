#!/usr/bin/env bash
# Regenerates Sources/CellarIngest/Generated/*.pb.swift from proto/. Run by hand after editing a .proto;
# the generated files are committed, so neither builds nor CI need protoc.
#
# Needs Debian's `protoc` (apt: protobuf-compiler, which also ships google/protobuf/timestamp.proto) and the
# `protoc-gen-swift` plugin of the SwiftProtobuf version in Package.resolved (1.39.0 here). Build the plugin
# OUTSIDE this checkout, e.g.:
#   cp -r .build/checkouts/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift scripts/generate-protos.sh
set -euo pipefail
cd "$(dirname "$0")/.."

plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [ -z "$plugin" ] || [ ! -x "$plugin" ]; then
    echo "set PROTOC_GEN_SWIFT to a built protoc-gen-swift (see the comment at the top of this script)" >&2
    exit 1
fi

out=Sources/CellarIngest/Generated
rm -f "$out"/*.pb.swift
mkdir -p "$out"
# Visibility=Internal keeps the wire types inside CellarIngest; PathToUnderscores gives flat, unique names.
protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path=proto \
    --swift_opt=Visibility=Internal \
    --swift_opt=FileNaming=PathToUnderscores \
    --swift_out="$out" \
    loki/push.proto \
    google/rpc/status.proto \
    opentelemetry/proto/common/v1/common.proto \
    opentelemetry/proto/resource/v1/resource.proto \
    opentelemetry/proto/logs/v1/logs.proto \
    opentelemetry/proto/collector/logs/v1/logs_service.proto
ls "$out"
