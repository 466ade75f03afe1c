# jdk.sh — sourced by ./jc and the tool launchers (scripts/ctstat, ctwatch, ctrun): finds a JDK >= 21.
#
# select_jdk sets JDK_HOME and JDK_MAJOR: $JAVA_HOME if it is a JDK >= MIN_JAVA, else the newest JDK >=
# MIN_JAVA under /usr/lib/jvm (or $JC_JVM_DIR), with a note on stderr when JAVA_HOME was set but unusable.
# The sourcing script defines die() and note() (one line on stderr each; die exits).
# shellcheck shell=bash

MIN_JAVA=21

# Prints the major Java version of the JDK at $1, or nothing if it is not a usable JDK.
jdk_major() {
    local home="$1" ver=""
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
    if [[ -r "$home/release" ]]; then
        ver="$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$home/release" | head -n1)"
    fi
    if [[ -z "$ver" ]]; then
        ver="$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n1)" || true
    fi
    [[ -n "$ver" ]] || return 0
    if [[ "$ver" == 1.* ]]; then ver="${ver#1.}"; fi      # 1.8.0_x -> 8
    ver="${ver%%[!0-9]*}"                                 # 25.0.3 -> 25, 21-ea -> 21
    [[ -n "$ver" ]] && echo "$ver"
    return 0
}

# Full version string (for tie-breaking between JDKs of the same major).
jdk_full_version() {
    sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1/release" 2>/dev/null | head -n1
}

select_jdk() {
    local jh="${JAVA_HOME:-}" jh_major="" reason=""
    if [[ -n "$jh" ]]; then
        jh_major="$(jdk_major "$jh")"
        if [[ -n "$jh_major" && "$jh_major" -ge $MIN_JAVA ]]; then
            JDK_HOME="$jh"; JDK_MAJOR="$jh_major"; return 0
        fi
        if [[ -n "$jh_major" ]]; then
            reason="JAVA_HOME=$jh is version $jh_major"
        else
            reason="JAVA_HOME=$jh is not a JDK (no bin/java + bin/javac, or version unreadable)"
        fi
    else
        reason="JAVA_HOME is not set"
    fi

    local dir="${JC_JVM_DIR:-/usr/lib/jvm}" best="" best_major=0 best_full="" cand real m full seen=" "
    if [[ -d "$dir" ]]; then
        for cand in "$dir"/*/; do
            cand="${cand%/}"
            real="$(readlink -f "$cand" 2>/dev/null || echo "$cand")"
            [[ "$seen" == *" $real "* ]] && continue
            seen+="$real "
            m="$(jdk_major "$real")"
            [[ -n "$m" && "$m" -ge $MIN_JAVA ]] || continue
            full="$(jdk_full_version "$real")"
            if [[ "$m" -gt "$best_major" ]] ||
               { [[ "$m" -eq "$best_major" ]] &&
                 [[ "$(printf '%s\n%s\n' "$best_full" "$full" | sort -V | tail -n1)" == "$full" ]]; }; then
                best="$real"; best_major="$m"; best_full="$full"
            fi
        done
    fi
    if [[ -z "$best" ]]; then
        die "jcontract needs a JDK $MIN_JAVA or newer; $reason; none found under $dir. Install a JDK >= $MIN_JAVA (e.g. Temurin 21/25) or point JAVA_HOME at one."
    fi
    if [[ -n "$jh" ]]; then
        note "note: $reason (need >= $MIN_JAVA); using $best (Java $best_major) instead."
    fi
    JDK_HOME="$best"; JDK_MAJOR="$best_major"
}
