#!/usr/bin/env bash
# Omnipeer benchmarks: throughput (/perf/1.0.0), connection setup, cold start, idle footprint, each against raw TCP
# and js-libp2p in the same run. Writes bench/results/*.csv, *.png and bench/README.md.
#   ./bench/run.sh                    # everything (~15 min on 2 cores)
#   ./bench/run.sh throughput connect # some sections; `report` only rebuilds README and plots from the CSVs
#   ./bench/run.sh --quick            # a seconds-long smoke run into bench/results/tmp/quick/
# Loopback only. Needs what scripts/setup-ci.sh installs (JDK, Maven, npm modules of e2e-tests/js).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ ! -x e2e-tests/js/node_modules/node/bin/node ] || [ e2e-tests/js/package-lock.json -nt e2e-tests/js/node_modules/.package-lock.json ]; then
  (cd e2e-tests/js && npm ci --no-audit --no-fund)
fi
mvn -q -B -Pbench -DskipTests -pl bench -am package
exec "$java" -XX:+UseSerialGC -Djava.awt.headless=true \
  -cp "$PWD/bench/target/bench-0.1.0-SNAPSHOT.jar:$PWD/bench/target/lib/*" io.omnipeer.bench.BenchMain --repo "$PWD" "$@"
