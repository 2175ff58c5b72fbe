#!/usr/bin/env bash
# restartab.sh REPS: a fresh gateway, then 5,000 clients at once (a restart storm's connect half): seconds from the
# process start to the last handshake, and the gateway's CPU over that time
for rep in $(seq 1 ${1:-2}); do
 for v in ${VARIANTS:-j17 j25st j25aot}; do
  case $v in
   j17) export JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java JAR=/tmp/gwjars/final.jar EXTRA="";;
   j25st) export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=/tmp/aot/gw/final.jar EXTRA="-XX:AOTCache=/tmp/aot/gw-startup.aot";;
   j25aot) export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=/tmp/aot/gw/final.jar EXTRA="-XX:AOTCache=/tmp/aot/gw.aot";;
  esac
  t0=$(date +%s.%N); /tmp/gwstart4.sh r-$v-$rep >/dev/null; t1=$(date +%s.%N)
  read GW MS PS L PG RD < /tmp/stackpids
  line=$(cd /work/main && PEERS_OUT=/tmp/chat-peers gateway-service/bench/connect-cost.sh 8080 /tmp/fan5k 5000 "gateway=$GW presence=$PS" 1 2>&1 | grep round)
  t2=$(date +%s.%N); cpu=$(awk '{print ($14+$15)/100}' /proc/$GW/stat)
  echo "$v rep $rep: ready after $(python3 -c "print(round($t1-$t0,1))") s; $line; gateway CPU since start $cpu s"
 done
done
