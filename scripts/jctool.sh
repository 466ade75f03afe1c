#!/usr/bin/env bash
# jctool.sh — what scripts/ctstat, ctwatch and ctrun run: the jcontract tool $1 from the agent jar, on a
# JDK >= 21 found as ./jc finds one (scripts/jdk.sh), whatever `java` is first on the PATH.
#
# The jar: $JCONTRACT_AGENT_JAR, else jcontract-agent.jar next to this script (a distribution: the three
# scripts, jdk.sh, jctool.sh and the jar in one folder), else agent/target/jcontract-agent.jar of the
# project this script is in (build it with ./jc build). ctrun's JVM keeps class data sharing: the
# agent's default loading path (the lookup bridge) appends nothing to the bootstrap class path.
set -euo pipefail

tool="${1:?usage: jctool.sh ctstat|ctwatch|ctrun [args]}"
shift
DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"

die() { echo "$tool: error: $*" >&2; exit 1; }
note() { echo "$tool: $*" >&2; }
# shellcheck source=scripts/jdk.sh
source "$DIR/jdk.sh"

jar="${JCONTRACT_AGENT_JAR:-}"
if [[ -z "$jar" ]]; then
    for cand in "$DIR/jcontract-agent.jar" "$DIR/../agent/target/jcontract-agent.jar"; do
        if [[ -f "$cand" ]]; then jar="$cand"; break; fi
    done
fi
[[ -n "$jar" && -f "$jar" ]] || die "no jcontract-agent.jar next to $DIR or in $DIR/../agent/target (build it: ./jc build, or set JCONTRACT_AGENT_JAR)"

select_jdk
JVM=()
if [[ "$JDK_MAJOR" -ge 23 ]]; then JVM+=(--sun-misc-unsafe-memory-access=allow); fi
exec "$JDK_HOME/bin/java" "${JVM[@]}" -jar "$jar" "$tool" "$@"
