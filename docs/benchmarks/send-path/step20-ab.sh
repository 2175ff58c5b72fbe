#!/bin/bash
# Alternates stacks: remembered refusals on (default) and off; runs docs/benchmarks/send-path/step20-refused-sender.py twice on each.
cd /work/main
for round in 1 2; do
for mode in on off; do
  opts=""
  [[ $mode == off ]] && opts="-Dchat.message.rate-limit.remembered-refusals=0"
  rm -rf /tmp/abstack
  (CHAT_DATA_DIR=/tmp/abstack CHAT_SERVICE_JVM_OPTIONS="$opts" nohup java -Dchat.repository-root=/work/main -jar local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar > /tmp/abstack.log 2>&1 < /dev/null &)
  for i in $(seq 1 60); do grep -q "Press Ctrl-C" /tmp/abstack.log && break; sleep 3; done
  python3 docs/benchmarks/send-path/step20-refused-sender.py 10 $ABUSE_RATE > /dev/null 2>&1   # warm-up
  for r in 1 2; do echo "round=$round mode=$mode run=$r $(python3 docs/benchmarks/send-path/step20-refused-sender.py 20 $ABUSE_RATE)"; done
  pkill -f "local-stack-0.1.0-SNAPSHOT-exec.jar"
  for i in $(seq 1 30); do pgrep -f "exec.jar|postgres -D /tmp/abstack" > /dev/null || break; sleep 1; done
done
done
