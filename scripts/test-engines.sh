#!/usr/bin/env bash
# Builds the C# and C++ engine clients from proto/ and runs their suites, which start real
# Vitrine servers. Prints one line per suite: "engine-suite NAME PASSED FAILED".
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

dotnet_log=$(mktemp)
dotnet test engine-clients/dotnet 2>&1 | tee "$dotnet_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# VSTest prints "Failed: N, Passed: N"; Microsoft.Testing.Platform prints "failed: N, succeeded: N".
p=$(grep -Eo '(Passed|succeeded): +[0-9]+' "$dotnet_log" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { if (NR) print s }')
f=$(grep -Eo '(Failed|failed): +[0-9]+' "$dotnet_log" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { if (NR) print s }')
[ -n "$p$f" ] || f=1
echo "engine-suite dotnet ${p:-0} ${f:-0}"

cpp_log=$(mktemp)
{ cmake -S engine-clients/cpp -B engine-clients/cpp/build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build engine-clients/cpp/build -j2 \
    && ctest --test-dir engine-clients/cpp/build --output-on-failure; } 2>&1 | tee "$cpp_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$cpp_log" | tail -1)
if [ -n "$summary" ]; then
  total=$(echo "$summary" | grep -Eo 'out of [0-9]+' | grep -Eo '[0-9]+')
  f=$(echo "$summary" | grep -Eo '[0-9]+ tests failed' | grep -Eo '[0-9]+')
  echo "engine-suite cpp $((total - f)) $f"
else
  echo "engine-suite cpp 0 1"
fi
exit $status
