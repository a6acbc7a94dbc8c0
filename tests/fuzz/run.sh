#!/bin/sh
# run.sh — runs each libFuzzer target given for FUZZ_SECONDS (default 20:
# eight targets keep make test under 20 minutes; make fuzz gives each 600)
# from its corpus in tests/fuzz/corpus/NAME (new inputs go to build/, the
# repository's corpus is only read); a crash or sanitizer report fails.
# Ends with "fuzz: N passed, N failed".
seconds="${FUZZ_SECONDS:-20}"
seed="${FUZZ_SEED:-0}"
passed=0
failed=0
for target in "$@"; do
	name=$(basename "$target")
	name=${name#fuzz_}
	work="build/fuzz/corpus-$name"
	mkdir -p "$work" "build/fuzz/crashes"
	if "$target" -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="build/fuzz/crashes/$name-" "$work" "tests/fuzz/corpus/$name" \
		>"build/fuzz/$name.log" 2>&1; then
		echo "ok   fuzz $name: $(grep -E '^Done [0-9]+ runs' "build/fuzz/$name.log")"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz $name (journal : build/fuzz/$name.log)"
		tail -n 30 "build/fuzz/$name.log"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
