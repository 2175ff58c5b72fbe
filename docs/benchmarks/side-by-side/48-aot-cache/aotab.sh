#!/usr/bin/env bash
# aotab.sh REPS : fresh gateways alternating: j17 (exec jar), j25 (extracted, no cache), j25aot (extracted, AOT cache)
out=/tmp/aotrun; mkdir -p $out
for rep in $(seq 1 ${1:-2}); do
 for v in ${VARIANTS:-j17 j25 j25aot}; do
  case $v in
   j17) export JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java JAR=/tmp/gwjars/final.jar EXTRA="";;
   j25) export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=/tmp/aot/gw/final.jar EXTRA="";;
   j25st) export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=/tmp/aot/gw/final.jar EXTRA="-XX:AOTCache=/tmp/aot/gw-startup.aot";;
   j25aot) export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=/tmp/aot/gw/final.jar EXTRA="-XX:AOTCache=/tmp/aot/gw.aot";;
  esac
  t0=$(date +%s.%N); /tmp/gwstart4.sh $v-$rep >/dev/null; t1=$(date +%s.%N)
  read GW MS PS L PG RD < /tmp/stackpids
  st=$(awk '{print ($14+$15)/100}' /proc/$GW/stat)
  echo "== $v rep $rep: ready in $(python3 -c "print(round($t1-$t0,1))") s, startup CPU $st s, started: $(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' /tmp/gw-$v-$rep.log)"
  (cd /work/main && PEERS_OUT=/tmp/chat-peers gateway-service/bench/connect-cost.sh 8080 /tmp/fan1k 1000 "gateway=$GW presence=$PS" ${ROUNDS:-4} 2>&1 | grep round)
  for i in 1 2; do echo -n "fan $i: "; /tmp/perproc.sh $out/$v-$rep-fan$i java 1000 50 20s /tmp/fan1k; done
 done
done
