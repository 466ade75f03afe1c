#!/usr/bin/env bash
# Whole-process start-up of the jcontract agent, plain vs -javaagent, side by side (issue 13).
#
#   scripts/startup.sh [runs]        (default 20; the agent jar: agent/target/jcontract-agent.jar, or $AGENT_JAR)
#
# Programs (scripts/startup/*.java, compiled into $OUT): Trivial (an empty main) and HttpApp (an
# HttpServer on a pool, one java.net.http round trip, close, exit). Each is run plain and with the
# agent, three ways: no cache; an AppCDS archive (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile);
# a JDK 25 AOT cache (-XX:AOTCacheOutput, then -XX:AOTCache). Each cache is made by a training run in
# the same mode (plain or agent) it is then used in. The runs of one row alternate plain/agent, and
# the table shows the median and min wall time of the whole process in ms. A cache whose training
# run fails (e.g. the JVM crashes) is reported as such, with its log kept in $OUT.
# JAVA_HOME defaults to the JDK 25; extra JVM options for the agent runs: $AGENT_OPTS; the agent argument:
# $AGENT_ARGS (e.g. loader=boot for the boot-jar path, or verbose).
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-20}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
case "$("$JAVA_HOME/bin/java" -version 2>&1)" in *'"25'*) ;; *) JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ;; esac
JAVA="$JAVA_HOME/bin/java"
AGENT_JAR=${AGENT_JAR:-$PWD/agent/target/jcontract-agent.jar}
OUT=${OUT:-${TMPDIR:-/tmp}/jcontract-startup-$$}
[ -f "$AGENT_JAR" ] || { echo "no agent jar at $AGENT_JAR (mvn -o -q package -DskipTests -pl agent -am)" >&2; exit 2; }
mkdir -p "$OUT/classes"
"$JAVA_HOME/bin/javac" -d "$OUT/classes" scripts/startup/*.java || exit 2
# CDS archives only classes from jars (a class directory on the path refuses the dump)
"$JAVA_HOME/bin/jar" cf "$OUT/apps.jar" -C "$OUT/classes" . || exit 2
# the flag that silences JCTools' sun.misc.Unsafe warning on 23+ goes to both modes alike
COMMON=(--sun-misc-unsafe-memory-access=allow "-XX:ErrorFile=$OUT/hs_err_pid%p.log" -cp "$OUT/apps.jar")
# The agent jar is also named on -cp: a jar the JVM appends to the class path for -javaagent is an
# "unsupported location" for the archives, so the agent's own classes would never be cached.
AGENT=("-javaagent:$AGENT_JAR${AGENT_ARGS:+=$AGENT_ARGS}" -cp "$OUT/apps.jar:$AGENT_JAR" ${AGENT_OPTS:-})

now() { date +%s%N; }
# run MODE CACHEFLAGS... -- MAIN ; prints wall ms or FAIL
run_one() {
  local mode=$1; shift
  local extra=()
  [ "$mode" = agent ] && extra=("${AGENT[@]}")
  local t0 t1
  t0=$(now)
  if "$JAVA" "${COMMON[@]}" "${extra[@]}" "$@" >"$OUT/last.$mode.log" 2>&1; then  # a later -cp wins
    t1=$(now); echo $(( (t1 - t0) / 1000000 ))
  else
    echo FAIL
  fi
}

# train MODE KIND MAIN -> cache flags on stdout, or nothing if training failed
train() {
  local mode=$1 kind=$2 main=$3 extra=()
  [ "$mode" = agent ] && extra=("${AGENT[@]}")
  local f="$OUT/$main.$mode.$kind"
  rm -f "$f" "$f.aotconf"
  case $kind in
    cds) "$JAVA" "${COMMON[@]}" "${extra[@]}" -XX:ArchiveClassesAtExit="$f" "$main" >"$f.train.log" 2>&1 ;;
    aot) "$JAVA" "${COMMON[@]}" "${extra[@]}" -XX:AOTCacheOutput="$f" "$main" >"$f.train.log" 2>&1 ;;
  esac
  local rc=$?
  if [ $rc -ne 0 ] || [ ! -s "$f" ]; then echo "train $main $mode $kind: rc=$rc, see $f.train.log" >&2; return 1; fi
  case $kind in
    cds) echo "-XX:SharedArchiveFile=$f -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
    aot) echo "-XX:AOTCache=$f" ;;
  esac
}

stats() { # numbers on stdin -> "median min" (or FAIL)
  sort -n | awk '/FAIL/{f=1} {a[NR]=$1} END{ if (f||NR==0) {print "FAIL"; exit} ; m=(NR%2)?a[(NR+1)/2]:int((a[NR/2]+a[NR/2+1])/2); printf "%d (min %d)", m, a[1]}'
}

row() { # label main kind
  local label=$1 main=$2 kind=$3 pf="" af="" p=() a=() i note=""
  if [ "$kind" != none ]; then
    pf=$(train plain "$kind" "$main") || pf=FAIL
    if [ "$kind" = cds ]; then
      # A dynamic archive cannot be dumped with an agent on (AllowArchivingWithJavaAgent is diagnostic only):
      # the agent runs use the archive made without it, as a user would.
      af=$pf
    else
      af=$(train agent "$kind" "$main") || { note="agent's training run failed, cache made without the agent"; af=$pf; }
    fi
  fi
  for ((i = 0; i < RUNS; i++)); do
    if [ "$pf" = FAIL ]; then p+=(FAIL); else p+=("$(run_one plain $pf "$main")"); fi
    if [ "$af" = FAIL ]; then a+=(FAIL); else a+=("$(run_one agent $af "$main")"); fi
  done
  local ps as
  ps=$(printf '%s\n' "${p[@]}" | stats); as=$(printf '%s\n' "${a[@]}" | stats)
  local d="-"
  if [[ $ps != FAIL && $as != FAIL ]]; then d="+$(( ${as%% *} - ${ps%% *} ))"; fi
  [ "$af" = FAIL ] && as="training run failed"
  [ -n "$note" ] && as="$as ($note)"
  printf '| %s | %s | %s | %s |\n' "$label" "$ps" "$as" "$d"
  # a cache the JVM refused to map is worth knowing: look for it in the last run's log
  if [ "$kind" != none ] && grep -qiE 'unable to use|mismatch|disabled|not supported|is only supported' "$OUT/last.agent.log" "$OUT/last.plain.log" 2>/dev/null; then
    grep -hiE 'unable to use|mismatch|disabled|not supported|is only supported' "$OUT/last.agent.log" "$OUT/last.plain.log" | sort -u | sed 's/^/  note: /' >&2
  fi
}

echo "$("$JAVA" -version 2>&1 | head -1), $RUNS alternated runs, median (min) wall ms, agent $AGENT_JAR ${AGENT_ARGS:+args $AGENT_ARGS}"
echo "| program | plain | with the agent | agent adds |"
echo "|---|---|---|---|"
row "trivial main" Trivial none
row "trivial main, AppCDS" Trivial cds
row "trivial main, AOT cache" Trivial aot
row "HttpServer round trip" HttpApp none
row "HttpServer round trip, AppCDS" HttpApp cds
row "HttpServer round trip, AOT cache" HttpApp aot
echo "(logs and caches in $OUT)"
