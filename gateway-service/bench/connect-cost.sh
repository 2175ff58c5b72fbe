#!/usr/bin/env bash
# CPU per connection set-up on a running stack: ../shared/peers' fan-out client opens N sessions (one per token
# line), keeps them a few seconds and closes them; the CPU each service process spent meanwhile, divided by N, is what
# a connection costs from handshake to close (its presence events, contacts and status snapshot included). For the
# first process (the gateway) it also prints the share of its JIT compiler threads (one that ends within the round is
# not counted): on a young JVM, and for thousands of connections after, compiling the connect path is most of what a
# connection costs.
#   gateway-service/bench/connect-cost.sh GATEWAY_PORT TOKENS_DIR N "NAME=PID NAME=PID ..." [ROUNDS]
# TOKENS_DIR comes from ../shared/peers/java-gateway-setup.py. Results: docs/benchmarks.md ("connection set-up").
set -euo pipefail
PORT=$1; TOKENS=$2; N=$3; PROCS=$4; ROUNDS=${5:-3}
client="${PEERS_OUT:-/tmp/chat-peers}/bin/fanout-client"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# "tid ticks" for each JIT compiler thread of process $1
jit_ticks() {
  for t in /proc/"$1"/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == C[12]\ CompilerThre* ]]; then
      awk -v tid="${t##*/}" '{print tid, $14 + $15}' "$t/stat"
    fi
  done
}
hz=$(getconf CLK_TCK)
first=${PROCS%% *}; first=${first#*=}
for r in $(seq 1 "$ROUNDS"); do
  declare -A before=()
  for p in $PROCS; do before[$p]=$(ticks "${p#*=}"); done
  jit_ticks "$first" > /tmp/connect-cost-jit-before
  start=$(date +%s.%N)
  "$client" -url "ws://127.0.0.1:$PORT/ws" -tokens "$TOKENS/tokens.txt" -n "$N" \
    -publisher-token "$(cat "$TOKENS/publisher.txt")" -group-id "$(cat "$TOKENS/group.txt")" -rate 1 -warmup 0 \
    -duration 2s -drain 2s -src-ips 4 -connect-timeout 120s -client-msg-id -q > "/tmp/connect-cost-$r.json" || true
  # Closing is part of the cost: wait until the gateway has let every session go and its events are out.
  for _ in $(seq 1 60); do
    [[ $(curl -s "localhost:$PORT/actuator/prometheus" | awk '/^chat_gateway_connections/{print int($2)}') -eq 0 ]] && break
    sleep 0.5
  done
  sleep 3
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  line="round $r: ${N} connections in ${secs%.*} s, connect $(python3 -c "import json;print(json.load(open('/tmp/connect-cost-$r.json'))['connect_time_s'])") s;"
  for p in $PROCS; do
    used=$(( $(ticks "${p#*=}") - before[$p] ))
    line+=" ${p%%=*} $(python3 -c "print('%.2f' % ($used * 1000.0 / $hz / $N))") ms"
  done
  jit_ticks "$first" > /tmp/connect-cost-jit-after
  jit=$(awk -v hz="$hz" -v n="$N" 'NR == FNR {b[$1] = $2; next} {s += $2 - b[$1]} END {printf "%.2f", s * 1000 / hz / n}' \
    /tmp/connect-cost-jit-before /tmp/connect-cost-jit-after)
  echo "$line per connection, of which the ${PROCS%%=*}'s JIT compiler threads $jit ms"
done
