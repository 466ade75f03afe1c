#!/usr/bin/env bash
# jcstress gate: runs the jcstress tests in jcstress-tests/target/jcstress.jar and fails (exit 1) unless
# every expected test ran and passed. Normally invoked by `./jc test` (which selects a JDK >= 21 and
# builds the jar first).
#
# Fails when:
#   - jcstress exits non-zero (it does so e.g. when a FORBIDDEN outcome was observed);
#   - the console summary ("RUN RESULTS:") reports Failed or Error tests, or the final progress line
#     "(Results: P planned; X passed, F failed, S soft errs, H hard errs)" has F/S/H > 0 or X != P;
#   - no test matched the selector (jcstress prints "FATAL: No matching tests." but exits 0!);
#   - fewer tests ran than exist: the number of tests jcstress reports must equal the number of tests in
#     the jar's META-INF/TestList matching the selector (`-l`), which in turn must equal the number of
#     @JCStressTest annotations under jcstress-tests/src/main/java (when the default selector is used).
# Tests named Agent* race the java agent's own paths: they run in a second jcstress invocation whose
# forked VMs get -javaagent:agent/target/jcontract-agent.jar (missing jar: they fail). The rules above
# apply to each invocation.
# Always ends with one line:  jcstress: N passed, M failed   (M includes expected tests that did not run).
#
# Modes:
#   CI (default)          JCSTRESS_MODE=quick with -strideCount 4 and -sc false: each test runs in 4 JVM
#                         configurations (C2, C2 with StressLCM/GCM/IGVN/CCP, C1, -Xint), each seeing
#                         tens to hundreds of thousands of samples; about 20-25 s per test on 2 cores.
#   Deep (before merging core changes to races)
#                         JCSTRESS_SPLIT=true JCSTRESS_STRIDES= ./scripts/jcstress-gate.sh
#                         split per-actor compilation (each actor interpreted, C1 or C2) and jcstress'
#                         own stride count: 14 configurations per test, about 2 min a test on 2 cores.
#   Long (before releases) JCSTRESS_MODE=tough ./scripts/jcstress-gate.sh
#                         jcstress' tough preset: ~340 configurations per test, hours for the suite
#                         (4 h limit); narrow it with JCSTRESS_FILTER, or give a time budget per
#                         iteration with extra args (e.g. -time 2000). The same failure rules apply.
#
# Environment:
#   JCSTRESS_MODE         jcstress -m preset (sanity|quick|default|tough|stress). Default: quick.
#   JCSTRESS_STRIDES      -strideCount. Default 4 in quick mode (our states create contracts and
#                         threads: jcstress' default stride count makes quick mode ~4x slower), else
#                         jcstress' own. Set it empty (JCSTRESS_STRIDES=) for jcstress' own default.
#   JCSTRESS_SPLIT        -sc (split per-actor compilation modes): default false in quick mode (our
#                         races are between lock-guarded library paths, not JIT reorderings of one
#                         field, so 4 whole-JVM modes suffice for CI), else jcstress' own (true).
#   JCSTRESS_FILTER       -t regexp test selector. Default: io\.jcontract\.
#   JCSTRESS_RESULTS_DIR  report/log directory. Default: jcstress-tests/target/jcstress-results
#   JCSTRESS_TIMEOUT      hard wall-clock limit in seconds. Default: 1200 (quick), 14400 otherwise.
# Extra arguments are passed to jcstress unchanged (e.g. -c 2).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAR="$ROOT/jcstress-tests/target/jcstress.jar"
SRC_DIR="$ROOT/jcstress-tests/src/main/java"
DEFAULT_FILTER='io\.jcontract\.'
FILTER="${JCSTRESS_FILTER:-$DEFAULT_FILTER}"
RESULTS="${JCSTRESS_RESULTS_DIR:-$ROOT/jcstress-tests/target/jcstress-results}"
MODE="${JCSTRESS_MODE:-quick}"
if [[ "$MODE" == quick ]]; then
    TIMEOUT="${JCSTRESS_TIMEOUT:-1200}"
    STRIDES="${JCSTRESS_STRIDES-4}"
    SPLIT="${JCSTRESS_SPLIT-false}"
else
    TIMEOUT="${JCSTRESS_TIMEOUT:-14400}"
    STRIDES="${JCSTRESS_STRIDES-}"
    SPLIT="${JCSTRESS_SPLIT-}"
fi

PASSED=0
FAILED=0
finish() {  # finish <exit code> [failure message]
    if [[ $1 -ne 0 ]]; then
        echo "jcstress gate: FAILED: $2" >&2
    else
        echo "jcstress gate: OK"
    fi
    echo "jcstress: $PASSED passed, $FAILED failed"
    exit "$1"
}

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$JAVA" >/dev/null 2>&1 || { echo "jcstress gate: no java found (JAVA_HOME=${JAVA_HOME:-unset}); run it via ./jc test" >&2; finish 1 "no java"; }
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)"
JAVA_MAJOR="${JAVA_MAJOR#1.}"
if [[ -z "$JAVA_MAJOR" || "$JAVA_MAJOR" -lt 21 ]]; then
    finish 1 "$JAVA is Java ${JAVA_MAJOR:-unknown}; jcstress tests need Java 21+. Run via ./jc test (it picks a JDK >= 21)."
fi
[[ -f "$JAR" ]] || finish 1 "$JAR not found; build it first (./jc build)."

# --- How many tests exist? -------------------------------------------------------------------------
SRC_COUNT="$(grep -rhE '^[[:space:]]*@JCStressTest\b' "$SRC_DIR" 2>/dev/null | wc -l | tr -d ' ')"
JAR_COUNT="$(unzip -p "$JAR" META-INF/TestList 2>/dev/null | grep -c '^JCTEST' || true)"
LISTED="$("$JAVA" -jar "$JAR" -t "$FILTER" -l 2>/dev/null | grep -E '^[A-Za-z_$][A-Za-z0-9_$.]*$' || true)"
EXPECTED="$(printf '%s' "$LISTED" | grep -c . || true)"
echo "jcstress gate: @JCStressTest in sources: $SRC_COUNT; tests in jar TestList: $JAR_COUNT; matching -t '$FILTER': $EXPECTED"

if [[ "$JAR_COUNT" -ne "$SRC_COUNT" ]]; then
    FAILED="$SRC_COUNT"
    finish 1 "the jar's META-INF/TestList has $JAR_COUNT tests but the sources declare $SRC_COUNT @JCStressTest; stale jar or annotation processing did not run (rebuild: ./jc build)."
fi
if [[ "$FILTER" == "$DEFAULT_FILTER" && "$EXPECTED" -ne "$SRC_COUNT" ]]; then
    FAILED=$(( SRC_COUNT > EXPECTED ? SRC_COUNT - EXPECTED : 0 ))
    finish 1 "selector '$FILTER' matches $EXPECTED tests, but $SRC_COUNT exist (are all tests under package io.jcontract?)."
fi
if [[ "$EXPECTED" -eq 0 ]]; then
    FAILED="$SRC_COUNT"
    finish 1 "no jcstress test matches -t '$FILTER' (jcstress would print 'No matching tests' and exit 0)."
fi

# --- Mode --------------------------------------------------------------------------------------------
MODE_ARGS=()
[[ -n "$STRIDES" ]] && MODE_ARGS+=(-strideCount "$STRIDES")
[[ -n "$SPLIT" ]] && MODE_ARGS+=(-sc "$SPLIT")

# --- Run ---------------------------------------------------------------------------------------------
# Two groups: tests named Agent* race the java agent's own paths and run with -javaagent (the forked
# VMs get it through -jvmArgsPrepend); all others run without it. Each group is selected by the exact
# names of its tests, so a custom filter applies to both and the counts stay exact.
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
AGENT_JAR="$ROOT/agent/target/jcontract-agent.jar"
JVM_ARGS=(--enable-native-access=ALL-UNNAMED)
FORK_ARGS="--enable-native-access=ALL-UNNAMED"
if [[ "$JAVA_MAJOR" -ge 23 ]]; then
    FORK_ARGS+=" --sun-misc-unsafe-memory-access=allow"    # for jcstress' own harness; jcontract uses none
fi
AGENT_TESTS="$(printf '%s\n' "$LISTED" | grep -E '\.Agent[A-Za-z0-9_$]*$' || true)"
PLAIN_TESTS="$(printf '%s\n' "$LISTED" | grep -vE '\.Agent[A-Za-z0-9_$]*$' | grep . || true)"
PROBLEMS=()
RAN_ALL=0
BAD_ALL=0

# evaluate <log> <expected count> <label>: adds to PROBLEMS, RAN_ALL and BAD_ALL.
evaluate() {
    local LOG="$1" EXPECTED="$2" LABEL="$3" RAN BAD
    if grep -q 'No matching tests' "$LOG"; then
        PROBLEMS+=("$LABEL: jcstress found no matching tests")
    fi
    # Summary format printed by jcstress 0.16 (one entry per test, merged over all VM configurations):
    #   RUN RESULTS:
    #     Interesting tests: No matches.                 | <n> matching test results.
    #     Failed tests: <n> matching test results.       (followed by "...... [FAILED] <test name>" blocks)
    #     Error tests: No matches.                       (status tags other than [OK] mark errors)
    #     All remaining tests: <n> matching test results. Use -v to print them.
    section_count() {  # section_count <title>  -> number, 0 for "No matches."
        local line
        line="$(sed -n '/^RUN RESULTS:/,$p' "$LOG" | grep -E "^  $1: " | tail -n1)"
        [[ "$line" =~ :\ ([0-9]+)\ matching ]] && echo "${BASH_REMATCH[1]}" || echo 0
    }
    if ! grep -q '^RUN RESULTS:' "$LOG"; then
        PROBLEMS+=("$LABEL: no 'RUN RESULTS:' summary in the jcstress output")
        RAN=0; BAD=0
    else
        local N_INTERESTING N_FAILED N_ERROR N_REST PRINTED N_PRINTED BAD_NAMES
        N_INTERESTING="$(section_count 'Interesting tests')"
        N_FAILED="$(section_count 'Failed tests')"
        N_ERROR="$(section_count 'Error tests')"
        N_REST="$(section_count 'All remaining tests')"
        # Tests printed in the sections (Interesting may overlap with Failed; "All remaining" excludes them).
        PRINTED="$(sed -n '/^RUN RESULTS:/,$p' "$LOG" | sed -n 's/^\.\.*  *\[\([^]]*\)\]  *\([^ ]*\).*$/\1 \2/p' | sort -u)"
        N_PRINTED="$(printf '%s\n' "$PRINTED" | awk 'NF==2 {print $2}' | sort -u | grep -c . || true)"
        BAD_NAMES="$(printf '%s\n' "$PRINTED" | awk 'NF==2 && $1 != "OK" {print $2}' | sort -u)"
        BAD="$(printf '%s' "$BAD_NAMES" | grep -c . || true)"
        (( BAD < N_FAILED )) && BAD=$N_FAILED
        (( BAD < N_ERROR )) && BAD=$N_ERROR
        RAN=$(( N_PRINTED + N_REST ))
        (( RAN < BAD )) && RAN=$BAD
        echo "jcstress gate: $LABEL summary: interesting=$N_INTERESTING failed=$N_FAILED error=$N_ERROR remaining=$N_REST -> $RAN test(s) ran, $BAD bad"
        if (( BAD > 0 )); then
            PROBLEMS+=("$LABEL: $BAD test(s) failed or errored:${BAD_NAMES:+ $(echo $BAD_NAMES)} (forbidden/unknown outcome or error, see $(dirname "$LOG")/report/index.html)")
        fi
    fi
    local PROGRESS
    PROGRESS="$(grep -oE '\(Results: [0-9]+ planned; [0-9]+ passed, [0-9]+ failed, [0-9]+ soft errs, [0-9]+ hard errs\)' "$LOG" | tail -n1)"
    if [[ "$PROGRESS" =~ ([0-9]+)\ planned\;\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ soft\ errs,\ ([0-9]+)\ hard\ errs ]]; then
        local P=${BASH_REMATCH[1]} X=${BASH_REMATCH[2]} F=${BASH_REMATCH[3]} S=${BASH_REMATCH[4]} H=${BASH_REMATCH[5]}
        if (( F > 0 || S > 0 || H > 0 || X != P )); then
            PROBLEMS+=("$LABEL: per-configuration results: $P planned, $X passed, $F failed, $S soft errs, $H hard errs")
        fi
    elif grep -q '^RUN RESULTS:' "$LOG"; then
        PROBLEMS+=("$LABEL: could not find the final '(Results: ... planned; ...)' progress line")
    fi
    if (( EXPECTED > RAN )); then
        PROBLEMS+=("$LABEL: only $RAN of $EXPECTED expected test(s) ran")
        BAD=$(( BAD + EXPECTED - RAN ))
        RAN=$EXPECTED
    fi
    RAN_ALL=$(( RAN_ALL + RAN ))
    BAD_ALL=$(( BAD_ALL + BAD ))
}

# run_group <label> <tests, one per line> <extra fork args> [jcstress args...]
run_group() {
    local LABEL="$1" TESTS="$2" EXTRA="$3"
    shift 3
    local N DIR LOG SELECT RC START
    N="$(printf '%s\n' "$TESTS" | grep -c . || true)"
    (( N == 0 )) && return 0
    DIR="$RESULTS/$LABEL"
    mkdir -p "$DIR"
    LOG="$DIR/console.log"
    SELECT="^($(printf '%s\n' "$TESTS" | grep . | sed 's/[.$]/\\&/g' | paste -sd'|'))\$"
    echo "jcstress gate: running $N $LABEL test(s), -m $MODE ${MODE_ARGS[*]}, Java $JAVA_MAJOR${EXTRA:+, forks with $EXTRA}; report in $DIR"
    START=$SECONDS
    # Run inside the group's dir: jcstress drops its jcstress-results-*.bin.gz blob into the working dir.
    ( cd "$DIR" && timeout --kill-after=30 "$TIMEOUT" \
          "$JAVA" "${JVM_ARGS[@]}" -jar "$JAR" -t "$SELECT" -m "$MODE" "${MODE_ARGS[@]}" -r "$DIR/report" \
          -jvmArgsPrepend "$FORK_ARGS${EXTRA:+ $EXTRA}" "$@" ) 2>&1 | tee "$LOG"
    RC=${PIPESTATUS[0]}
    echo "jcstress gate: $LABEL tests finished in $(( SECONDS - START ))s with exit code $RC"
    if [[ $RC -eq 124 || $RC -eq 137 ]]; then
        PROBLEMS+=("$LABEL: jcstress timed out after ${TIMEOUT}s")
    elif [[ $RC -ne 0 ]]; then
        PROBLEMS+=("$LABEL: jcstress exited with code $RC")
    fi
    evaluate "$LOG" "$N" "$LABEL"
}

START_ALL=$SECONDS
run_group plain "$PLAIN_TESTS" "" "$@"
if [[ -n "$AGENT_TESTS" ]]; then
    if [[ -f "$AGENT_JAR" ]]; then
        run_group agent "$AGENT_TESTS" "-javaagent:$AGENT_JAR" "$@"
    else
        N_AGENT="$(printf '%s\n' "$AGENT_TESTS" | grep -c . || true)"
        PROBLEMS+=("$AGENT_JAR not found: $N_AGENT agent test(s) could not run (build it: ./jc build)")
        BAD_ALL=$(( BAD_ALL + N_AGENT ))
        RAN_ALL=$(( RAN_ALL + N_AGENT ))
    fi
fi
echo "jcstress gate: jcstress finished in $(( SECONDS - START_ALL ))s"

FAILED=$BAD_ALL
PASSED=$(( RAN_ALL - BAD_ALL ))

if (( ${#PROBLEMS[@]} > 0 )); then
    finish 1 "$(IFS=';'; echo "${PROBLEMS[*]}" | sed 's/;/; /g')"
fi
finish 0
