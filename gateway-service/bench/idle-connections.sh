#!/usr/bin/env bash
# Heap and RSS per idle connection on a running gateway, held open by ../shared/peers' fan-out client.
#   gateway-service/bench/idle-connections.sh PORT GATEWAY_PID PER_CLIENT CLIENTS TOKENS_DIR [LABEL]
# TOKENS_DIR comes from ../shared/peers/java-gateway-setup.py (tokens.txt, publisher.txt, group.txt); each client
# process opens PER_CLIENT connections (one per token line; users may hold several sessions, so raise
# chat.gateway.max-sessions-per-user). Prints the growth from the empty gateway to PER_CLIENT x CLIENTS connections
# ("up") and what closing them all frees ("down": what the connections themselves hold). Heap is the live total after
# two full GCs (`jmap -histo:live`), RSS comes from /proc. Results of 2026-12-02: docs/benchmarks/idle-connections/.
set -euo pipefail
PORT=$1; PID=$2; PER=$3; K=$4; TOKENS=$5; LABEL=${6:-run}; N=$((PER * K))
client="${PEERS_OUT:-/tmp/chat-peers}/bin/fanout-client"
rss() { awk '/VmRSS/{print $2 * 1024}' "/proc/$PID/status"; }
heap() { jcmd "$PID" GC.run >/dev/null; jcmd "$PID" GC.run >/dev/null; jmap -histo:live "$PID" | tail -1 | awk '{print $3}'; }
sessions() { curl -s "localhost:$PORT/actuator/prometheus" | awk '/^chat_gateway_connections/{print int($2)}'; }
H0=$(heap); R0=$(rss)
pids=()
for k in $(seq 1 "$K"); do
  # -rate 0.01: one message in 100 s, so the connections stay idle.
  "$client" -url "ws://127.0.0.1:$PORT/ws" -tokens "$TOKENS/tokens.txt" -n "$PER" \
    -publisher-token "$(cat "$TOKENS/publisher.txt")" -group-id "$(cat "$TOKENS/group.txt")" -rate 0.01 -warmup 0 \
    -duration 900s -src-ips 8 -connect-rate 400 -connect-timeout 120s -min-connected 0.5 -client-msg-id -q \
    > "/tmp/idle-$LABEL-$k.json" 2> "/tmp/idle-$LABEL-$k.err" &
  pids+=($!)
done
for _ in $(seq 1 240); do [[ $(sessions) -ge $N ]] && break; sleep 1; done
sleep 10
n=$(sessions); H1=$(heap); R1=$(rss)
kill "${pids[@]}"; wait 2>/dev/null || true
for _ in $(seq 1 120); do [[ $(sessions) -eq 0 ]] && break; sleep 1; done
sleep 5
H2=$(heap); R2=$(rss)
python3 -c "
n = $n
print('$LABEL connections=%d up: heap/conn=%.0fB rss/conn=%.0fB | down: heap/conn=%.0fB rss/conn=%.0fB | heap %.0f->%.0f->%.0fMB rss %.0f->%.0f->%.0fMB'
      % (n, ($H1 - $H0) / n, ($R1 - $R0) / n, ($H1 - $H2) / n, ($R1 - $R2) / n, $H0 / 1e6, $H1 / 1e6, $H2 / 1e6, $R0 / 1e6, $R1 / 1e6, $R2 / 1e6))"
