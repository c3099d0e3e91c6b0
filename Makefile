# Cloudreel. The two commands a newcomer needs:
#   make demo   install what is missing, build, open the window on the built-in demo
#   make test   install what is missing, run every check and test
# Go 1.26 or later must be installed (https://go.dev/dl/).

VERSION := $(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
BUILD   := $(shell git rev-parse --short HEAD 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION) -X main.build=$(BUILD)
GO      ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: demo test build deps test-deps lint unit keyring-test smoke bench package clean

demo: deps build
	./cloudreel demo

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o cloudreel .

deps:
	@.ci/install-deps.sh build

test-deps:
	@.ci/install-deps.sh test

# Every check and test: formatting, vet, staticcheck, the unit and headless
# UI tests under the race detector, the real-keyring tests, and a real
# window under Xvfb with a screenshot.
test: test-deps lint build unit keyring-test smoke

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

unit:
	$(GO) test -race -count=1 ./...

# The keyring tests against a real gnome-keyring on a private D-Bus session.
keyring-test:
	dbus-run-session -- sh -c 'd=$$(mktemp -d) && trap "rm -rf $$d" EXIT && export XDG_DATA_HOME=$$d/data XDG_RUNTIME_DIR=$$d/run && mkdir -m 700 $$XDG_DATA_HOME $$XDG_RUNTIME_DIR && echo cloudreel-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && CLOUDREEL_REAL_KEYRING=1 $(GO) test -race -count=1 -run Keyring ./accounts/... .'

# The real window under Xvfb: docs/screenshots/*.png.
smoke: build
	.ci/smoke.sh ./cloudreel docs/screenshots

# Downloads against curl and aria2 (docs/benchmarks.md), the listing of
# 10,000 Zoom recordings at 50 ms a call, the window's recordings table
# with 10,000 recordings, and the memory of a 1 GiB upload to Valt (peak
# heap and RSS), and the window at scale (10 accounts, 100,000 jobs in the store).
bench:
	@.ci/install-deps.sh bench
	bash fetch/queue/bench/bench.sh
	$(GO) test -run '^$$' -bench TransferHash -benchtime 4x -count 5 ./fetch/queue/
	$(GO) test -run '^$$' -bench Listing -benchtime 3x -count 3 ./fetch/...
	$(GO) test -run XXX -bench 'RecordingModel10k' -benchmem ./gui/
	$(GO) test -run XXX -bench UploadLargeFile -benchtime 1x ./fetch/upload/
	$(GO) test -run '^$$' -bench 'StoredJobsDecode|LastDone' -benchmem ./fetch/queue/
	$(GO) test -run '^$$' -bench 'BenchmarkScale' -benchtime 3x ./gui/

# The downloads people install: a Linux archive and a Windows .exe, in dist/.
package:
	@.ci/install-deps.sh package
	.ci/package.sh

clean:
	rm -rf cloudreel dist
