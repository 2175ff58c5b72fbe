#!/usr/bin/env bash
# imgab.sh ROUNDS: gateway A = Java 17, the stack's options (port 8080); B = the image's way (Java 25, app.aot, the
# image's JAVA_TOOL_OPTIONS) on 8091; alternating 1,000 x 50 rounds after two warm-up rounds each
opts=$(grep -o 'JAVA_TOOL_OPTIONS="[^"]*"' /work/main/Dockerfile | sed 's/JAVA_TOOL_OPTIONS=//; s/"//g')
JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java JAR=/tmp/gwjars/final.jar EXTRA="" /tmp/gwstart4.sh abA >/dev/null
read GW MS PS L PG RD < /tmp/stackpids
cd /tmp/imgsim/gateway-service
CHAT_SECURITY_JWT_SECRET="$(cat /tmp/fanstack/dev-jwt-secret)" JAVA_TOOL_OPTIONS="-Xmx1g $opts" nohup /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -XX:AOTCache=app.aot -jar app.jar --server.port=8091 --spring.profiles.active=local --chat.gateway.inbound.rate-per-second=100000 --chat.gateway.inbound.burst=100000 --chat.gateway.max-sessions-per-user=100 --chat.gateway.message-service.base-url=http://127.0.0.1:8081 --chat.gateway.presence-service.base-url=http://127.0.0.1:8082 --spring.data.redis.host=127.0.0.1 --spring.data.redis.port=16379 --spring.kafka.bootstrap-servers=127.0.0.1:19092 > /tmp/gw-abB.log 2>&1 < /dev/null &
B=$!
until curl -sf localhost:8091/actuator/health/readiness >/dev/null; do sleep 1; done
echo "A=$GW B=$B"
for r in w1 w2 $(seq 1 ${1:-4}); do
  echo -n "A $r: "; URL=ws://127.0.0.1:8080/ws SPID=$GW /tmp/perproc.sh /tmp/aotrun/abA-$r java 1000 50 20s /tmp/fan1k
  echo -n "B $r: "; URL=ws://127.0.0.1:8091/ws SPID=$B /tmp/perproc.sh /tmp/aotrun/abB-$r java 1000 50 20s /tmp/fan1k
done
kill $B
