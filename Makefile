# The two commands on the README's first screen: `make run` and `make test`.
SWIFT_FLAGS ?=
CONFIG ?= debug

.PHONY: deps run build release test test-swift test-integration bench clean

deps:
	./scripts/install-deps.sh

run: deps
	swift build -c release $(SWIFT_FLAGS)
	.build/release/logcellar serve --listen 127.0.0.1:3100 --data-dir ./data

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

# Everything CI runs: Swift unit and server tests (including the kill -9 crash test), then the
# integration tests that drive the real server with real client libraries.
test: build
	./scripts/install-deps.sh --for-tests
	swift test $(SWIFT_FLAGS)
	.venv/bin/python -m pytest -q Tests/integration

bench: release
	.build/release/logcellar bench

clean:
	rm -rf .build .venv
