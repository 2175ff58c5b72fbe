#!/usr/bin/env bash
# The Dockerfile's steps outside Docker: extract (JDK 17, as the build stage), then the runtime stage's training run
# on JDK 25 with the image's JAVA_TOOL_OPTIONS, in /tmp/imgsim/<service> standing for /app.
set -e
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
opts=$(grep -o 'JAVA_TOOL_OPTIONS="[^"]*"' /work/main/Dockerfile | sed 's/JAVA_TOOL_OPTIONS=//; s/"//g')
for s in ${SERVICES:-gateway-service message-service presence-service}; do
  rm -rf /tmp/imgsim/$s /tmp/imgsim/layers-$s; mkdir -p /tmp/imgsim/$s
  jar=${JARSRC:-/tmp/stackrepo}/$s/target/$s-0.1.0-SNAPSHOT-exec.jar
  cp $jar /tmp/imgsim/app.jar
  java -Djarmode=tools -jar /tmp/imgsim/app.jar extract --layers --destination /tmp/imgsim/layers-$s
  for l in dependencies snapshot-dependencies application; do cp -r /tmp/imgsim/layers-$s/$l/. /tmp/imgsim/$s/; done
  cd /tmp/imgsim/$s
  start=$(date +%s.%N)
  env JAVA_TOOL_OPTIONS="$opts" SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 CHAT_KAFKA_TOPICS_CREATE=false \
    SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT=9 \
    SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/training SPRING_FLYWAY_ENABLED=false \
    CHAT_SECURITY_JWT_SECRET=aot-training-run-only-never-used-to-sign-anything-00000000 \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs \
    $J25 -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar app.jar > /tmp/imgsim/training-$s.log 2>&1 \
    || { echo "$s: training failed"; tail -20 /tmp/imgsim/training-$s.log; exit 1; }
  test -s app.aot
  echo "$s: trained in $(python3 -c "import time;print(round(time.time()-$start,1))") s, cache $(du -m app.aot | cut -f1) MB"
done
