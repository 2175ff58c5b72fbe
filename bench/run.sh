#!/usr/bin/env bash
# Runs the benchmark suite and writes its figures (JSON) and plots (PNG) under bench/results/.
#   bench/run.sh short     about 10 minutes: every scenario, smaller
#   bench/run.sh full      the figures of docs/benchmarks.md (about 45 minutes)
#   bench/run.sh send-path issue 12's rate alone, about 3 minutes: for comparing builds
#   bench/run.sh short --only=latency,storm --processes=3
#   bench/run.sh short --gateway-url=http://chat:8080 --message-url=http://chat:8081 --jwt-secret=...
# Without --gateway-url it uses the local stack at localhost:8080 (./run-local.sh) when one is running, and otherwise
# starts one of its own for the run (fresh data in bench/target/stack, full JIT with the image's
# thresholds, 1 GB heaps, native memory tracking)
# and stops it afterwards. docs/benchmarks.md explains every scenario and figure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

echo "Building..."
./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package

source bench/stack.sh
trap stop_stack EXIT

if [[ " $* " != *" --gateway-url="* ]] && ! curl -sf -o /dev/null "http://localhost:${CHAT_GATEWAY_PORT:-8080}/actuator/health/readiness"; then
  export CHAT_DATA_DIR="$root/bench/target/stack"
  export CHAT_SERVICE_HEAP="${CHAT_SERVICE_HEAP:-1g}"
  # The services run with the GC and JIT options the image ships (Dockerfile, docs/gateway-service.md "The heap and
  # GC pauses" and "The JIT and connection storms"): the benchmark measures what a deployment runs. Not the image's
  # AOT cache: the services start from their executable jars on this JDK, so a fresh stack starts as slowly as
  # before it ("Start-up and the AOT cache").
  # A variable of its own: the "}" of {service} (the local stack puts each service's name there) would end a ${...:-...}.
  image_options="-XX:+UseG1GC -XX:NativeMemoryTracking=summary -XX:-ClassUnloadingWithConcurrentMark -XX:MetaspaceSize=160m \
-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 \
-XX:CompileCommandFile=$root/infra/jvm/{service}.compile-commands"
  export CHAT_SERVICE_JVM_OPTIONS="${CHAT_SERVICE_JVM_OPTIONS:-$image_options}"
  start_stack
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
java -Xmx2g -Dchat.repository-root="$root" -cp "bench/target/classes:bench/target/lib/*" \
  org.erpchat.bench.BenchMain "$@"
