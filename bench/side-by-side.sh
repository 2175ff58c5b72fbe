#!/usr/bin/env bash
# docs/benchmarks.md section 6 in one command: this project's gateway against the Go hub (the seed's design on
# gorilla/websocket) and the same hub on Node's ws, measured by one fan-out client, alternating, several rounds.
#   bench/side-by-side.sh                   1,000 receivers x 50 msg/s, 3 rounds
#   bench/side-by-side.sh 5000 20 3         N RATE ROUNDS
#   PEERS_DIR=/path/to/peers bench/side-by-side.sh
#   WARM_ROUNDS=6 bench/side-by-side.sh     first 6 rounds of the gateway alone, not counted: a stack that has carried
#                                           traffic for a few minutes, where a fresh one is still compiling
# PEERS_DIR (default ../shared/peers) holds the peers, the client and their scripts (its README.md); their build goes
# to PEERS_OUT (default /tmp/chat-peers). Starts a fresh stack of its own (data in bench/target/side-by-side-stack),
# prepares N receivers in one group and a publisher, runs the rounds, prints summarize.py's table and stops the stack.
# Results: bench/results/side-by-side-<N>x<RATE>-<time>/.
#
# The stack starts from this shell, as the peers do (bench/stack.sh): with autogroup scheduling (Linux's default on
# desktops and many VMs) a stack started in a session of its own (setsid, another terminal) gets the cores shared with
# the client in another way, and its tail latency measures two to ten times worse (section 6, "The stack in the
# client's session").
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
n=${1:-1000} rate=${2:-50} rounds=${3:-3}
peers="${PEERS_DIR:-$root/../shared/peers}"
export PEERS_OUT="${PEERS_OUT:-/tmp/chat-peers}"
[[ -x "$peers/side-by-side.sh" ]] || { echo "No peers at $peers: set PEERS_DIR" >&2; exit 2; }
if curl -sf -o /dev/null "http://localhost:8080/actuator/health/readiness"; then
  echo "Something already serves localhost:8080: stop it first (this runs a fresh stack of its own)" >&2
  exit 2
fi
[[ -x "$PEERS_OUT/bin/fanout-client" && -x "$PEERS_OUT/bin/gorilla-hub" && -d "$PEERS_OUT/ws-hub/node_modules" ]] \
  || "$peers/build.sh"

echo "Building..."
./mvnw -q -B -DskipTests -Dspotless.check.skip=true \
  -pl message-service,presence-service,gateway-service,local-stack -am package

source bench/stack.sh
trap stop_stack EXIT

export CHAT_DATA_DIR="$root/bench/target/side-by-side-stack"
export CHAT_SERVICE_HEAP=1g
# The image's GC and JIT options, as bench/run.sh gives them (without its native memory tracking), and the limits that
# let one publisher send RATE messages a second into an N-member group (the defaults allow 10 frames a second per
# connection and 1,000 members per group).
stack_options="-XX:+UseG1GC -XX:-ClassUnloadingWithConcurrentMark -XX:MetaspaceSize=160m \
-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 \
-XX:CompileCommandFile=$root/infra/jvm/{service}.compile-commands \
-Dchat.gateway.inbound.rate-per-second=100000 -Dchat.gateway.inbound.burst=100000 \
-Dchat.message.rate-limit.capacity=100000 -Dchat.message.rate-limit.refill-tokens=100000 \
-Dchat.message.groups.max-members=20000 -Dchat.gateway.max-sessions-per-user=100"
export CHAT_SERVICE_JVM_OPTIONS="$stack_options"
start_stack

# The processes whose CPU is the system's: the gateway first, then the others (Kafka runs in the launcher).
service() { pgrep -P "$stack_pid" -f "$1-[^ ]*-exec.jar" | head -n 1; }
gateway=$(service gateway-service)
others=("$(service message-service)" "$(service presence-service)" "$stack_pid"
  "$(pgrep -f "postgres -D $CHAT_DATA_DIR/postgres" | head -n 1)" "$(pgrep -P "$stack_pid" redis-server | head -n 1)")
for pid in "$gateway" "${others[@]}"; do
  [[ -n "$pid" ]] || { echo "A process of the stack was not found: ${gateway:-no gateway} ${others[*]}" >&2; exit 1; }
done

tokens="$CHAT_DATA_DIR/fan-$n"
"$peers/java-gateway-setup.py" --message-url http://127.0.0.1:8081 \
  --secret-file "$CHAT_DATA_DIR/dev-jwt-secret" --n "$n" --out "$tokens"
for round in $(seq 1 "${WARM_ROUNDS:-0}"); do
  echo "Warm-up round $round of $WARM_ROUNDS (not counted)..."
  "$PEERS_OUT/bin/fanout-client" -url ws://127.0.0.1:8080/ws -label warm-up -tokens "$tokens/tokens.txt" \
    -publisher-token "$(cat "$tokens/publisher.txt")" -group-id "$(cat "$tokens/group.txt")" -client-msg-id \
    -n "$n" -rate "$rate" -duration 20s -warmup 10s -drain 10s -src-ips 4 -q > /dev/null 2>&1 || true
done
out="$root/bench/results/side-by-side-${n}x${rate}-$(date +%Y%m%d-%H%M%S)"
echo "Rounds (results: $out)..."
"$peers/side-by-side.sh" "$out" "$n" "$rate" 20s "$rounds" ws://127.0.0.1:8080/ws "$tokens" "$gateway" "${others[@]}" \
  > "$out.log" 2>&1 || { tail -20 "$out.log" >&2; exit 1; }
mv "$out.log" "$out/rounds.log"
"$peers/summarize.py" "$out" | tee "$out/summary.txt"
