#!/usr/bin/env bash
# the image's way on 8080 (replacing A), one warm-up round, then a side-by-side pass
opts=$(grep -o 'JAVA_TOOL_OPTIONS="[^"]*"' /work/main/Dockerfile | sed 's/JAVA_TOOL_OPTIONS=//; s/"//g')
JTO="$opts" WORKDIR=/tmp/imgsim/gateway-service JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAR=app.jar EXTRA="-XX:AOTCache=app.aot" /tmp/gwstart5.sh img2
for i in 1 2 3; do /tmp/perproc.sh /tmp/aotrun/img2warm$i java 1000 50 20s /tmp/fan1k; done
read GW MS PS L PG RD < /tmp/stackpids
/work/shared/peers/side-by-side.sh /tmp/aotrun/sbs-1000-img2 1000 50 20s 3 ws://127.0.0.1:8080/ws /tmp/fan1k $GW $MS $PS $L $PG $RD > /tmp/aotrun/sbs-1000-img2.log 2>&1
python3 /work/shared/peers/summarize.py /tmp/aotrun/sbs-1000-img2 > /tmp/aotrun/sbs-1000-img2.summary 2>&1
echo done
