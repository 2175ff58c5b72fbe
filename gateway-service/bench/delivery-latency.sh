#!/usr/bin/env bash
# End-to-end delivery latency (client send -> gateway -> Kafka -> message-service/PostgreSQL -> Kafka -> gateway ->
# receiving client), as an HdrHistogram summary.
#   gateway-service/bench/delivery-latency.sh [pairs=20] [messages per pair=100] [messages per second=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn_opts=(-B -q -Dspotless.check.skip=true -DskipTests)
./mvnw "${mvn_opts[@]}" -pl message-service,presence-service,gateway-service -am install
./mvnw "${mvn_opts[@]}" -pl gateway-service dependency:build-classpath \
  -Dmdep.outputFile=/tmp/gateway-test-classpath.txt -Dmdep.includeScope=test
java -Dbackends.jvm=-Xmx512m -cp "gateway-service/target/test-classes:gateway-service/target/classes:$(cat /tmp/gateway-test-classpath.txt)" \
  org.erpchat.gateway.bench.DeliveryLatencyBenchmark "${1:-20}" "${2:-100}" "${3:-200}"
