#!/usr/bin/env bash
# outside-project-test.sh — the README's "Use it from your project", tried as a new user would.
#
# Takes the pom fragment, the minimal program and its expected output from README.md (the blocks
# after the markers <!-- outside-project: pom|Main.java|output -->, so the README cannot drift),
# writes them into a fresh Maven project in a temp directory, builds it offline against the
# installed artifacts (`mvn -o -q package`: the BOM and jcontract-core must resolve from the local
# repository), then runs
#     java -javaagent:<jcontract-agent as resolved in the local repository> -cp <classes>:<core jar> Main
# as the README's command does, and compares its standard output with the README's.
# Also checks that the installed core jar holds no example, restarter or Micrometer class.
# Prints one line, "outside-project test: PASS ..." or "outside-project test: FAIL: why" (exit 1).
#
# Needs the artifacts installed first: ./jc test runs it right after `mvn install`.
# Environment: JC_M2_REPO   the local repository (default: Maven's, ~/.m2/repository)
#              JAVA_HOME    the JDK (>= 21) to build and run with (./jc sets it)
#              JC_KEEP_TMP  set to keep the temp project for a look
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
README="$ROOT/README.md"
REPO="${JC_M2_REPO:-$HOME/.m2/repository}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

fail() { echo "outside-project test: FAIL: $*"; exit 1; }

# The body of the first fenced block after the marker line <!-- outside-project: $1 -->.
block() {
    awk -v m="<!-- outside-project: $1 -->" '
        $0 == m { found = 1; next }
        found == 1 && /^```/ { found = 2; next }
        found == 2 && /^```/ { exit }
        found == 2 { print }' "$README"
}

# A value from the parent pom's <properties>: <name>value</name>.
prop() {
    sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n1
}

version="$(sed -n '/<artifactId>jcontract-parent<\/artifactId>/{n;s:.*<version>\([^<]*\)</version>.*:\1:p;}' "$ROOT/pom.xml")"
[[ -n "$version" ]] || fail "cannot read the project version from $ROOT/pom.xml"
pom_fragment="$(block pom)"; main_java="$(block Main.java)"; expected="$(block output)"
[[ -n "$pom_fragment" && -n "$main_java" && -n "$expected" ]] ||
    fail "README.md lacks one of the blocks after <!-- outside-project: pom|Main.java|output -->"
[[ "$pom_fragment" == *"<version>$version</version>"* ]] ||
    fail "README.md's pom fragment does not name version $version (the parent pom's)"

agent_jar="$REPO/io/jcontract/jcontract-agent/$version/jcontract-agent-$version.jar"
core_jar="$REPO/io/jcontract/jcontract-core/$version/jcontract-core-$version.jar"
[[ -f "$agent_jar" && -f "$core_jar" ]] ||
    fail "the artifacts of $version are not installed in $REPO (run ./jc build, or mvn install, first)"

# What a user resolves as jcontract-core is the kernel and the API only: the restarter, the Micrometer
# binder and the examples are artifacts of their own, and core's pom brings no Micrometer.
foreign="$("${JAVA_HOME:+$JAVA_HOME/bin/}jar" tf "$core_jar" | grep -E '^io/jcontract/(example|restarter|probes|metrics)/|^io/micrometer/' || true)"
[[ -z "$foreign" ]] || fail "the installed jcontract-core holds classes of other modules: $(echo $foreign | head -c 300)"
core_pom="${core_jar%.jar}.pom"
if [[ -f "$core_pom" ]] && grep -q '<artifactId>micrometer-core</artifactId>' "$core_pom"; then
    fail "the installed jcontract-core's pom depends on Micrometer ($core_pom)"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/jcontract-outside.XXXXXX")"
if [[ -z "${JC_KEEP_TMP:-}" ]]; then trap 'rm -rf "$tmp"' EXIT; else echo "outside-project test: keeping $tmp"; fi
mkdir -p "$tmp/src/main/java"
printf '%s\n' "$main_java" >"$tmp/src/main/java/Main.java"
# The user's project: the README's fragment, plus the plugin versions the project itself builds with
# (so the offline build finds them in the local repository; a user's build would fetch its own).
cat >"$tmp/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>
    <groupId>com.example</groupId>
    <artifactId>uses-jcontract</artifactId>
    <version>1.0</version>
    <properties>
        <maven.compiler.release>21</maven.compiler.release>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    </properties>
$pom_fragment
    <build>
        <plugins>
            <plugin><artifactId>maven-resources-plugin</artifactId><version>$(prop maven-resources-plugin.version)</version></plugin>
            <plugin><artifactId>maven-compiler-plugin</artifactId><version>$(prop maven-compiler-plugin.version)</version></plugin>
            <plugin><artifactId>maven-surefire-plugin</artifactId><version>$(prop maven-surefire-plugin.version)</version></plugin>
            <plugin><artifactId>maven-jar-plugin</artifactId><version>$(prop maven-jar-plugin.version)</version></plugin>
        </plugins>
    </build>
</project>
EOF

if ! (cd "$tmp" && mvn -B -o -q -Dstyle.color=never -Dmaven.repo.local="$REPO" package) >"$tmp/build.log" 2>&1; then
    sed 's/^/  | /' "$tmp/build.log" | tail -n 30
    fail "the outside project does not build offline against $REPO (Maven's output above)"
fi

JVM=(-Xshare:auto)
if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
    JVM+=(--sun-misc-unsafe-memory-access=allow)
fi
set +e
actual="$(cd "$tmp" && timeout 60 "$JAVA" "${JVM[@]}" -javaagent:"$agent_jar" \
    -cp "target/classes:$core_jar" Main 2>"$tmp/stderr.txt")"
rc=$?
set -e
if [[ $rc -ne 0 || "$actual" != "$expected" ]]; then
    echo "  | exit status $rc; stdout:"; printf '%s\n' "$actual" | sed 's/^/  |   /'
    echo "  | expected (README.md):"; printf '%s\n' "$expected" | sed 's/^/  |   /'
    echo "  | stderr:"; tail -n 20 "$tmp/stderr.txt" | sed 's/^/  |   /'
    fail "Main under -javaagent:$agent_jar did not print what the README says"
fi
echo "outside-project test: PASS (BOM + jcontract-core $version resolved offline from $REPO; Main ran under -javaagent:$(basename "$agent_jar"))"
