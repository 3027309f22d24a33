#!/usr/bin/env bash
# Omnipeer benchmarks, each against a baseline in the same run: throughput (/perf/1.0.0), connection setup, cold
# start, idle footprint, bridge latency (headless Chromium), JMH micro-benchmarks. Writes bench/results/*.csv, *.png
# and bench/README.md.
#   ./bench/run.sh                         # everything (~40 min on 2 shared cores; footprint alone ~14)
#   ./bench/run.sh throughput connect      # some sections: throughput connect startup footprint bridge jmh;
#                                          # `report` only rebuilds README and plots from the CSVs
#   ./bench/run.sh --baseline-ref REF ...  # also run our stack as built from git REF (e.g. main~3): before/after
#                                          # pairs in throughput and connect (builds REF in bench/results/tmp/)
#   ./bench/run.sh --baseline-jar JAR ...  # the same with a native-host jar built earlier
#   ./bench/run.sh --jmh-include REGEX jmh # a subset of the JMH benchmarks (default: all of io.omnipeer.bench.jmh)
#   ./bench/run.sh --pair omnipeer throughput  # only pairs whose label contains the text (repeatable)
#   ./bench/run.sh --quick                 # a seconds-long smoke run into bench/results/tmp/quick/
# Loopback only; runs at nice 10. Needs what scripts/setup-ci.sh installs (JDK, Maven, npm modules of
# e2e-tests/js, Chromium + chromedriver for `bridge`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --baseline-ref ] && [ $# -ge 2 ]; then
    sha="$(git rev-parse --short "$2")"
    src="$PWD/bench/results/tmp/baseline-$sha"
    jar="$src/native-host/target/native-host-0.1.0-SNAPSHOT.jar"
    if [ ! -f "$jar" ]; then
      rm -rf "$src"
      mkdir -p "$src"
      git archive "$sha" | tar -x -C "$src"
      (cd "$src" && nice -n 10 mvn -q -B -o -DskipTests -pl native-host -am package) 1>&2
    fi
    args+=(--baseline-jar "$jar")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
if [ ! -x e2e-tests/js/node_modules/node/bin/node ] || [ e2e-tests/js/package-lock.json -nt e2e-tests/js/node_modules/.package-lock.json ]; then
  (cd e2e-tests/js && npm ci --no-audit --no-fund)
fi
nice -n 10 mvn -q -B -Pbench -DskipTests -pl bench -am package
exec nice -n 10 "$java" -XX:+UseSerialGC -Djava.awt.headless=true \
  -cp "$PWD/bench/target/bench-0.1.0-SNAPSHOT.jar:$PWD/bench/target/lib/*" io.omnipeer.bench.BenchMain --repo "$PWD" ${args[@]+"${args[@]}"}
