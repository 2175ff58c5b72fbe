#!/usr/bin/env bash
# niceab.sh TAG ROUNDS : alternate rounds with the gateway's fan-out lanes at nice 0 and nice 4 (same gateway)
read GW MS PS L PG RD < /tmp/stackpids
lanes() { for t in /proc/$GW/task/*; do [ "$(cat $t/comm)" = "gateway-fan-out" ] && basename $t; done; }
for i in $(seq 1 $2); do
  for n in 0 4; do
    for t in $(lanes); do renice -n $n -p $t >/dev/null; done
    echo "== N$n $1 round $i lanes: $(for t in $(lanes); do ps -o ni= -L -p $GW | head -0; awk '{print $19}' /proc/$GW/task/$t/stat; done | tr '\n' ' ')"
    /tmp/perproc.sh /tmp/nab/$1-n$n-r$i java 1000 50 20s /tmp/fan1k
  done
done
