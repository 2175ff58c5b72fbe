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

stack_pid=""
stop_stack() {
  if [[ -n "$stack_pid" ]] && kill -0 "$stack_pid" 2>/dev/null; then
    echo "Stopping the benchmark's stack..."
    kill -TERM "$stack_pid" 2>/dev/null || true  # a background job ignores SIGINT; SIGTERM runs the same shutdown
    wait "$stack_pid" 2>/dev/null || true
  fi
}
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
  rm -rf "$CHAT_DATA_DIR"
  mkdir -p "$CHAT_DATA_DIR"
  echo "Starting a local stack for the benchmark (log: $CHAT_DATA_DIR/stack.log)..."
  java -Dchat.repository-root="$root" -jar "$(ls local-stack/target/local-stack-*-exec.jar | head -n 1)" \
    > "$CHAT_DATA_DIR/stack.log" 2>&1 &
  stack_pid=$!
  for _ in $(seq 1 300); do
    if grep -q "ERP Chat is running" "$CHAT_DATA_DIR/stack.log"; then break; fi
    if ! kill -0 "$stack_pid" 2>/dev/null; then cat "$CHAT_DATA_DIR/stack.log"; exit 1; fi
    sleep 1
  done
  grep -q "ERP Chat is running" "$CHAT_DATA_DIR/stack.log" || { echo "The stack did not start in 5 minutes"; exit 1; }
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
java -Xmx2g -Dchat.repository-root="$root" -cp "bench/target/classes:bench/target/lib/*" \
  org.erpchat.bench.BenchMain "$@"
