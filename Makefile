# Habeas: the two commands are `make run` and `make test`.
GO        ?= go
BIN       := bin/habeas
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)

.PHONY: run build web test vet fmt clean help

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: build ## build the SPA and the server, then start Habeas on http://127.0.0.1:8080 (SQLite + ./data)
	@scripts/ensure-fonts.sh --fonts || echo "warning: PDF fonts missing: dossier exports will be refused (see /readyz)"
	./$(BIN) serve

build: web ## build the server binary (static, no cgo) into bin/habeas
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/habeas

web: ## build the SPA into internal/webui/dist/app (skipped while web/ has no package.json)
	@if [ -f web/package.json ]; then scripts/build-web.sh; else echo "web/: no SPA yet, the placeholder page is served"; fi

test: ## everything: vet, Go tests on SQLite and PostgreSQL, storage, fault drills, SPA and browser tests
	scripts/test.sh

vet: ## go vet
	$(GO) vet ./...

fmt: ## gofmt the Go sources
	gofmt -w api cmd internal

clean: ## remove build outputs (never ./data)
	rm -rf bin internal/webui/dist/app
