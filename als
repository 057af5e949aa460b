#!/usr/bin/env bash
# The als command. On first use (or when a source or POM is newer than the build) it builds
# the CLI and its runtime classpath with Maven, then runs it. Build output goes to stderr so
# that stdout carries only results. Extra JVM options: ALS_JAVA_OPTS (e.g. -Xmx16g).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/als-cli/target/als-cli.jar"
lib="$here/als-cli/target/lib"

stale() {
  [ ! -f "$jar" ] || [ ! -d "$lib" ] && return 0
  [ -n "$(find "$here" -path "$here/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit)" ]
}

if stale; then
  echo "als: building the command line tool (mvn package; first run downloads dependencies)..." >&2
  (cd "$here" && mvn -B -q -Dstyle.color=never -DskipTests -pl als-cli -am package) >&2
  touch "$jar"
fi
# The vector solver needs the JDK's Vector API, an incubator module that must be named at
# start-up (and that makes the JVM print a one-line warning). Add it only when the vector
# solver is asked for on the command line or in ALS_SOLVER; a config file naming it gets an
# error saying to set ALS_JAVA_OPTS instead.
modules=()
for a in "$@" "${ALS_SOLVER:-}"; do
  case "$a" in
    vector|--solver=vector) modules=(--add-modules jdk.incubator.vector) ;;
  esac
done
# ${a[@]+"${a[@]}"}: an empty array is an unbound variable under set -u before bash 4.4.
exec java ${ALS_JAVA_OPTS:-} ${modules[@]+"${modules[@]}"} -cp "$jar:$lib/*" io.als.cli.Main "$@"
