#!/usr/bin/env bash
# Heap and resident memory per idle WebSocket connection, Jetty vs Tomcat, permessage-deflate off and on.
#   gateway-service/bench/connection-memory.sh [connections]      (default 5000)
# Builds the gateway twice (Jetty, the default, and -Pcontainer-tomcat), then runs ConnectionMemoryBenchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
connections="${1:-5000}"
mvn_opts=(-B -q -Dspotless.check.skip=true -DskipTests)
./mvnw "${mvn_opts[@]}" -pl gateway-service -am install
./mvnw "${mvn_opts[@]}" -pl gateway-service -Pcontainer-tomcat package
cp gateway-service/target/gateway-service-*-exec.jar /tmp/gateway-tomcat.jar
./mvnw "${mvn_opts[@]}" -pl gateway-service package
cp gateway-service/target/gateway-service-*-exec.jar /tmp/gateway-jetty.jar
./mvnw "${mvn_opts[@]}" -pl gateway-service test-compile dependency:build-classpath \
  -Dmdep.outputFile=/tmp/gateway-test-classpath.txt -Dmdep.includeScope=test
ulimit -n "$(ulimit -Hn)" || true
java -cp "gateway-service/target/test-classes:gateway-service/target/classes:$(cat /tmp/gateway-test-classpath.txt)" \
  org.erpchat.gateway.bench.ConnectionMemoryBenchmark "$connections" jetty=/tmp/gateway-jetty.jar tomcat=/tmp/gateway-tomcat.jar
