#!/bin/sh
# run.sh — the browser tests: installs the pinned npm packages when they
# are missing or older than package-lock.json, runs every *.test.mjs with
# node --test (one file at a time), and ends with "e2e: N passed, N failed".
cd "$(dirname "$0")" || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "e2e: npm ci a échoué"; exit 1; }
	touch node_modules
fi
cd ../.. || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
node --test --test-concurrency=1 --test-reporter=tap tests/e2e/*.test.mjs >"$out" 2>&1
rc=$?
grep -E '^(not )?ok |^# (tests|pass|fail)|^  (error|  [+-] )' "$out" | grep -v '^# ' || true
if grep -q '^not ok' "$out"; then
	cat "$out" | sed -n '/^not ok/,/^  \.\.\./p' | head -200
fi
pass=$(sed -nE 's/^# pass ([0-9]+)/\1/p' "$out")
fail=$(sed -nE 's/^# fail ([0-9]+)/\1/p' "$out")
echo "e2e: ${pass:-0} passed, ${fail:-1} failed"
[ "$rc" -eq 0 ]
