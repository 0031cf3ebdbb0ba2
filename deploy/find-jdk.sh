# Sourced by scripts that need a JDK of a given feature release: .ci/run and deploy/cluster/cluster.sh.

# The feature release of the JDK at $1 (17, 21, 25...), from its release file or else from the JDK itself.
jdk_feature() {
    local version
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
    if [ -z "$version" ]; then
        version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    fi
    echo "${version:-0}"
}
# The first JDK (one with javac) whose feature release is at least $1 and at most $2: JAVA_HOME, then the javac on the
# PATH, then those under /usr/lib/jvm.
find_jdk() {
    local min=$1 max=$2 home feature
    local candidates=("${JAVA_HOME:-}")
    if command -v javac > /dev/null; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    candidates+=(/usr/lib/jvm/*)
    for home in "${candidates[@]}"; do
        [ -n "$home" ] && [ -x "$home/bin/javac" ] || continue
        feature=$(jdk_feature "$home")
        if [ "$feature" -ge "$min" ] && [ "$feature" -le "$max" ]; then
            readlink -f "$home"
            return 0
        fi
    done
    return 1
}
