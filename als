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
exec java ${ALS_JAVA_OPTS:-} -cp "$jar:$lib/*" io.als.cli.Main "$@"
