#!/usr/bin/env bash
# bench.sh — build and run the jcontract JMH benchmarks (issue 8), then summarise them.
#
#   scripts/bench.sh [--smoke] [--goals] [--no-build] [--no-profile] [extra JMH args...]
#   ./jc bench [same]
#
# Full mode (the default; about 10 minutes on 2 cores): every benchmark with the forks and
# iterations of its annotations (2 forks each, short iterations), -prof gc, in ONE invocation of
# benchmarks.jar (its Main runs the agent variants with -javaagent in the same invocation). Writes
#   benchmarks/results/jmh-latest.json   JMH's raw JSON
#   benchmarks/results/latest.json       the summary: each line's figure, unit, baseline, ratio, goal,
#                                        met or not, allocation per op, JDK and machine
#   benchmarks/results/latest.log        JMH's console output
# refreshes the results table in BENCHMARKS.md, then reruns each missed line's variant with
# -prof stack into benchmarks/results/profiles/<line>.txt (skip with --no-profile).
#
# --smoke: 1 fork, 1 warm-up and 1 measurement iteration (a few minutes): checks that everything
# runs; writes benchmarks/results/smoke*.json and .log (git-ignored) and leaves BENCHMARKS.md alone.
# --goals: only the benchmarks of issue 14's goals table (no start-up, lookup, rung-3 or fork-bomb lines).
# BENCH_NOTE="..." in the environment is printed with the tables (e.g. "machine shared with 6 builds").
# Extra arguments go to JMH (e.g. a regex to run only some benchmarks: 'StartJoin').
#
# Needs a JDK >= 21 ($JAVA_HOME, else `java` on PATH; ./jc bench picks one), Maven, python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="benchmarks/results"
JAR="benchmarks/target/benchmarks.jar"

die() { echo "bench: error: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

smoke=0 build=1 profile=1
jmh_args=()
for a in "$@"; do
    case "$a" in
        --smoke) smoke=1 ;;
        --no-build) build=0 ;;
        --no-profile) profile=0 ;;
        --goals) jmh_args+=('io\.jcontract\.bench\.(agent\.)?(StartJoin|Skynet|ExecutorSubmit|EventDelivery|KillLatency|ForkExit)') ;;
        -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) jmh_args+=("$a") ;;
    esac
done

if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java || true)"; fi
[[ -x "$JAVA" ]] || die "no java: set JAVA_HOME to a JDK >= 21 (or use ./jc bench)"
major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${major:-0}" =~ ^[0-9]+$ && "$major" -ge 21 ]] || die "$JAVA is Java ${major:-?}; need >= 21 (or use ./jc bench)"
command -v python3 >/dev/null || die "python3 not found"

if (( build )); then
    command -v mvn >/dev/null || die "mvn not found"
    if [[ "$major" -ge 23 && "${MAVEN_OPTS:-}" != *sun-misc-unsafe-memory-access* ]]; then
        export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
    fi
    note "building benchmarks.jar and the agent (mvn -pl benchmarks -am install -DskipTests) ..."
    JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$JAVA")")")}" \
        mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am install
fi
[[ -f "$JAR" ]] || die "$JAR missing (build first, or drop --no-build)"
[[ -f agent/target/jcontract-agent.jar ]] || die "agent/target/jcontract-agent.jar missing"
# A snapshot of the agent jar for the whole run: a rebuild of agent/ meanwhile must not change it.
AGENT="benchmarks/target/jcontract-agent.jar"
cp agent/target/jcontract-agent.jar "$AGENT"

mkdir -p "$RESULTS"
if (( smoke )); then
    name=smoke mode=smoke
    # JMH's command line overrides the annotations: 1 fork, 1 + 1 short iterations (SingleShotTime: 1 + 1 ops).
    run_args=(-f 1 -wi 1 -w 300ms -i 1 -r 500ms -foe true)
else
    name=latest mode=full
    run_args=(-f 2)           # the annotations' iterations; forks stated so that nothing runs with fewer than 2
fi
raw="$RESULTS/jmh-$name.json" log="$RESULTS/$name.log"
cmd=("$JAVA" "-Djcontract.bench.agentJar=$AGENT" -jar "$JAR" "${run_args[@]}" -prof gc -rf json -rff "$raw" "${jmh_args[@]}")
note "running: ${cmd[*]}"
note "console output: $log"
start=$(date +%s)
set +e
"${cmd[@]}" 2>&1 | tee "$log" | grep -E --line-buffered '^(# Benchmark:|# Parameters:|jcontract-bench:|Result "|<failure>)'
status=${PIPESTATUS[0]}
set -e
[[ $status -eq 0 ]] || die "JMH failed with status $status (see $log)"
note "JMH finished in $(( $(date +%s) - start )) s"
failures=$(grep -c '<failure>' "$log" || true)
[[ "$failures" -eq 0 ]] || note "WARNING: $failures benchmark(s) failed; their lines say 'not run' (see $log)"

shown="java -jar $JAR ${run_args[*]} -prof gc -rf json${jmh_args[*]:+ ${jmh_args[*]}}"
report=(python3 benchmarks/report.py "$raw" --out "$RESULTS/$name.json" --mode "$mode" --command "$shown"
        --missed "$RESULTS/$name-missed.tsv" ${BENCH_NOTE:+--note "$BENCH_NOTE"})
(( smoke )) || report+=(--markdown BENCHMARKS.md)
"${report[@]}"

if (( profile && ! smoke )) && [[ -s "$RESULTS/$name-missed.tsv" ]]; then
    mkdir -p "$RESULTS/profiles"
    while IFS=$'\t' read -r id regex params; do
        out="$RESULTS/profiles/$id.txt"
        note "line $id missed its goal: profiling $regex $params -> $out"
        # shellcheck disable=SC2086  # params is "-p k=v ..." on purpose
        "$JAVA" "-Djcontract.bench.agentJar=$AGENT" -jar "$JAR" "$regex" $params -f 1 -wi 1 -i 2 -prof "stack:lines=4;top=20" -prof gc >"$out" 2>&1 \
            || note "profiling $id failed (see $out)"
    done <"$RESULTS/$name-missed.tsv"
fi
note "summary: $RESULTS/$name.json"
