# Serval — build, test and run. `make run` and `make test` are the whole quickstart.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Debug
BIN = bin/$(CONFIGURATION)/net10.0
OPERATOR = operator/Serval.Operator/$(BIN)/serval-operator
STATE_DIR ?= .serval
CRD_FILE = crds/serving.serval.dev_inferenceservices.yaml
BENCH_CONFIGURATION = Release

.PHONY: build test run crds bench bench-worker bench-apiserver bench-operator bench-autoscale bench-local models clean

build:
	$(DOTNET) build Operator.sln -c $(CONFIGURATION) -nologo -v quiet -clp:NoSummary -warnaserror

# One TRX per test project under TestResults/; .ci/run sums them.
test:
	rm -rf TestResults
	$(DOTNET) test Operator.sln -c $(CONFIGURATION) -nologo -v quiet \
		--logger "trx;LogFilePrefix=serval" --logger "console;verbosity=minimal" \
		--results-directory TestResults

run: build
	$(OPERATOR) local --state-dir $(STATE_DIR) --apply samples/quickstart.yaml

crds:
	$(DOTNET) build operator/Serval.Operator -c $(CONFIGURATION) -nologo -v quiet -clp:NoSummary
	$(OPERATOR) crds > $(CRD_FILE)
	cp $(CRD_FILE) charts/serval/crds/
	$(OPERATOR) crds --api-reference > docs/api-reference.md

# Regenerates samples/models/*.onnx and samples/requests/*.json (deterministic; a test keeps them current).
models:
	$(DOTNET) run --project samples/models/generator -c $(CONFIGURATION) -- samples

bench: bench-worker bench-apiserver bench-operator bench-autoscale bench-local

bench-worker bench-apiserver bench-operator bench-autoscale bench-local: bench-%:
	@proj=$$(ls -d tests/bench/*/ 2>/dev/null | grep -i "/Serval.Bench.$*/" | head -n1); \
	if [ -z "$$proj" ]; then echo "bench-$*: no benchmark project tests/bench/Serval.Bench.<$*> yet" >&2; exit 1; fi; \
	$(DOTNET) run --project $$proj -c $(BENCH_CONFIGURATION)

clean:
	$(DOTNET) clean Operator.sln -nologo -v quiet
	rm -rf TestResults $(STATE_DIR)
	find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
