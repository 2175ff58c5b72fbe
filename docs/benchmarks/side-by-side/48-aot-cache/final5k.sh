#!/usr/bin/env bash
opts=$(grep -o 'JAVA_TOOL_OPTIONS="[^"]*"' /work/main/Dockerfile | sed 's/JAVA_TOOL_OPTIONS=//; s/"//g')
JTO="$opts" WORKDIR=/tmp/imgsim/gateway-service JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=app.jar EXTRA="-XX:AOTCache=app.aot" /tmp/gwstart5.sh img5k
for i in 1 2 3 4; do /tmp/perproc.sh /tmp/aotrun/img5kwarm$i java 1000 50 20s /tmp/fan1k; done
/tmp/perproc.sh /tmp/aotrun/img5kwarm5 java 5000 20 20s /tmp/fan5k
read GW MS PS L PG RD < /tmp/stackpids
/work/shared/peers/side-by-side.sh /tmp/aotrun/sbs-5000-img 5000 20 20s 3 ws://127.0.0.1:8080/ws /tmp/fan5k $GW $MS $PS $L $PG $RD > /tmp/aotrun/sbs-5000-img.log 2>&1
python3 /work/shared/peers/summarize.py /tmp/aotrun/sbs-5000-img > /tmp/aotrun/sbs-5000-img.summary 2>&1
echo done
