#!/bin/sh
# run.sh — runs each libFuzzer target given for FUZZ_SECONDS (default 20;
# make fuzz gives each 600) from its corpus in tests/fuzz/corpus/NAME (new
# inputs go to build/, the repository's corpus is only read), FUZZ_JOBS
# targets at a time (default: one a processor, so that eight targets keep
# make test under 20 minutes without shortening any); a crash or sanitizer
# report fails. Ends with "fuzz: N passed, N failed".
seconds="${FUZZ_SECONDS:-20}"
seed="${FUZZ_SEED:-0}"
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}"
passed=0
failed=0
mkdir -p build/fuzz/crashes

# Runs one target; its exit code goes to build/fuzz/NAME.rc.
fuzz_one() {
	name=$(basename "$1")
	name=${name#fuzz_}
	mkdir -p "build/fuzz/corpus-$name"
	"$1" -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="build/fuzz/crashes/$name-" "build/fuzz/corpus-$name" \
		"tests/fuzz/corpus/$name" >"build/fuzz/$name.log" 2>&1
	echo $? >"build/fuzz/$name.rc"
}

# Tells how target ended, and counts it.
fuzz_report() {
	name=$(basename "$1")
	name=${name#fuzz_}
	if [ "$(cat "build/fuzz/$name.rc" 2>/dev/null)" = 0 ]; then
		echo "ok   fuzz $name: $(grep -E '^Done [0-9]+ runs' "build/fuzz/$name.log")"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz $name (journal : build/fuzz/$name.log)"
		tail -n 30 "build/fuzz/$name.log"
		failed=$((failed + 1))
	fi
}

# The targets in batches of $jobs, each batch reported in order once done.
while [ $# -gt 0 ]; do
	batch=""
	i=0
	while [ $# -gt 0 ] && [ "$i" -lt "$jobs" ]; do
		fuzz_one "$1" &
		batch="$batch $1"
		shift
		i=$((i + 1))
	done
	wait
	for target in $batch; do
		fuzz_report "$target"
	done
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
