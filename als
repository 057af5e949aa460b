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

# A class-data sharing archive of the classes a run loads (JDK, Guice, logback, the library):
# the JVM then maps them instead of loading and verifying them, which halves the start-up of
# a short command (docs/benchmarks.md). It is made on first use after a build, by one
# 'reference' run, written under a temporary name and moved into place. A JVM that cannot use
# it (another JDK, other modules) ignores it silently.
jsa="$here/als-cli/target/als.jsa"
cds_quiet=(-Xlog:cds*=off -Xlog:class+path=off)
if stale; then
  echo "als: building the command line tool (mvn package; first run downloads dependencies)..." >&2
  # Maven 3.8 writes colour resets even in batch mode: stripped, so stderr carries plain text.
  (cd "$here" && mvn -B -q -Dstyle.color=never -DskipTests -pl als-cli -am package) 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g' >&2
  touch "$jar"
  rm -f "$jsa"
fi
if [ ! -f "$jsa" ] && [ -z "${ALS_NO_CDS:-}" ]; then
  tmp_jsa="$jsa.$$.tmp"
  # --solver java: the archive run must not depend on a solver chosen for the user's command
  # (vector needs a JVM option this run does not have), or it would fail and be retried on
  # every command.
  if ALS_SOLVER= java ${ALS_JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$tmp_jsa" "${cds_quiet[@]}" -cp "$jar:$lib/*" \
      io.als.cli.Main reference --solver java --quiet >/dev/null 2>&1 && [ -s "$tmp_jsa" ]; then
    mv -f "$tmp_jsa" "$jsa"
  else
    rm -f "$tmp_jsa"
  fi
fi
cds=()
if [ -f "$jsa" ] && [ -z "${ALS_NO_CDS:-}" ]; then
  cds=(-XX:SharedArchiveFile="$jsa" "${cds_quiet[@]}")
fi
# The vector solver needs the JDK's Vector API, an incubator module that must be named at
# start-up (and that makes the JVM print a one-line warning). Add it when the vector solver can
# be selected: by --solver (any letter case), ALS_SOLVER, -Dals.solver in ALS_JAVA_OPTS, or
# als.solver in a --config file; and for 'solvers', so that the listing shows it usable.
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
modules=()
want_vector() { modules=(--add-modules jdk.incubator.vector); }
[ "${1:-}" = solvers ] && want_vector
[ "$(lower "${ALS_SOLVER:-}")" = vector ] && want_vector
case "$(lower "${ALS_JAVA_OPTS:-}")" in *-dals.solver=vector*) want_vector ;; esac
prev=""
for a in "$@"; do
  case "$(lower "$a")" in
    vector|--solver=vector) [ "$prev" = --solver ] || [ "$(lower "$a")" = --solver=vector ] && want_vector ;;
  esac
  config=""
  [ "$prev" = --config ] && config="$a"
  case "$a" in --config=*) config="${a#--config=}" ;; esac
  # Properties syntax: als.solver followed by '=', ':' or white space, then the value; lines may
  # end in LF, CRLF or CR alone, and the file may start with a UTF-8 byte-order mark (as the
  # command's own reader allows).
  if [ -n "$config" ] && [ -f "$config" ] \
      && tr '\r' '\n' < "$config" | sed '1s/^\xEF\xBB\xBF//' \
        | grep -qiE '^[[:space:]]*als\.solver([[:space:]]*[=:][[:space:]]*|[[:space:]]+)vector[[:space:]]*$'; then
    want_vector
  elif [ -n "$config" ] && [ -e "$config" ] && [ ! -f "$config" ] && [ ! -d "$config" ]; then
    # A pipe (--config <(...)) can be read only once, by the command: it may select vector.
    want_vector
  fi
  prev="$a"
done
# --engine spark: the als-spark module (built on first use, like the CLI) and Spark's jars join the
# class path, with the JVM options Spark needs on Java 17 (spark-launcher's JavaModuleOptions) and
# Spark kept on the loopback address unless SPARK_LOCAL_IP says otherwise. Logging stays with the
# CLI's logback on stderr (Spark's log4j2 binding is passed over), so stdout carries only results.
spark_engine=""
prev=""
for a in "$@"; do
  case "$(lower "$a")" in
    --engine=spark) spark_engine=1 ;;
    spark) [ "$prev" = --engine ] && spark_engine=1 ;;
  esac
  prev="$a"
done
spark_cp=""
spark_opts=()
if [ -n "$spark_engine" ]; then
  spark_jar="$here/als-spark/target/als-spark.jar"
  spark_lib="$here/als-spark/target/lib"
  if [ ! -f "$spark_jar" ] || [ ! -d "$spark_lib" ] \
      || [ -n "$(find "$here" -path "$here/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$spark_jar" -print -quit)" ]; then
    echo "als: building the Spark engine (mvn package; first run copies Spark's jars)..." >&2
    (cd "$here" && mvn -B -q -Dstyle.color=never -DskipTests -pl als-spark -am package) 2>&1 \
      | sed -e 's/\x1b\[[0-9;]*m//g' >&2
    touch "$spark_jar"
  fi
  # Spark's jars before the command's: where both bring a library (commons-lang3, through ND4J),
  # Spark needs its newer version, and the older ones stay backward compatible.
  spark_cp="$spark_jar:$spark_lib/*:"
  cds=()
  spark_opts=(-XX:+IgnoreUnrecognizedVMOptions
    -Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider -Dslf4j.internal.verbosity=WARN
    -Dlog4j2.configurationFile=als-spark-log4j2.properties
    -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
    --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED)
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
      java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    spark_opts+=("--add-opens=java.base/$p=ALL-UNNAMED")
  done
  want_vector
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi
# The progress bar draws on stderr only when it is a terminal, which Java cannot test: say so.
if [ -t 2 ]; then export ALS_STDERR_TTY=1; else export ALS_STDERR_TTY=0; fi
# ${a[@]+"${a[@]}"}: an empty array is an unbound variable under set -u before bash 4.4.
# On fewer than four processors the JVM gives its optimising compiler (C2) a single thread, and
# what train's warm-up and the reader queue for it is still being compiled when the fit starts.
# A second C2 thread finishes it sooner (docs/benchmarks.md, cold start). More processors get
# more threads by default; an explicit -XX:CICompilerCount in ALS_JAVA_OPTS wins.
jit=()
case "${ALS_JAVA_OPTS:-}" in
  *CICompilerCount*) ;;
  *) [ "$(nproc 2>/dev/null || echo 4)" -lt 4 ] && jit=(-XX:CICompilerCount=3) ;;
esac
# ALS_CLASSPATH: more jars (a third-party backend, docs/adding-a-solver.md), after the CLI's own.
# The JVM skips an entry that is not there without a word: say so here.
if [ -n "${ALS_CLASSPATH:-}" ]; then
  IFS=: read -r -a extra <<< "$ALS_CLASSPATH"
  for entry in ${extra[@]+"${extra[@]}"}; do
    [ -z "$entry" ] && continue
    check="${entry%/\*}"
    [ -e "$check" ] || echo "als: warning: ALS_CLASSPATH names $entry, which does not exist" >&2
  done
fi
# Ids are UTF-8 text. Under the C or POSIX locale (plain ASCII) the JVM would decode the
# arguments and encode its output as ASCII, turning an id such as u\u00e9 into u? both ways;
# run it under C.UTF-8 then, which glibc has built in. A locale that is not ASCII is kept.
if [ "$(locale charmap 2>/dev/null)" = ANSI_X3.4-1968 ] && locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
  export LC_ALL=C.UTF-8
fi
exec java ${ALS_JAVA_OPTS:-} ${jit[@]+"${jit[@]}"} ${cds[@]+"${cds[@]}"} ${modules[@]+"${modules[@]}"} ${spark_opts[@]+"${spark_opts[@]}"} \
  -cp "$jar:$spark_cp$lib/*${ALS_CLASSPATH:+:$ALS_CLASSPATH}" io.als.cli.Main "$@"
