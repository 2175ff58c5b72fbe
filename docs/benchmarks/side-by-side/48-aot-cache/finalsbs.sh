#!/usr/bin/env bash
for i in 1 2 3; do /tmp/perproc.sh /tmp/aotrun/imgwarm$i java 1000 50 20s /tmp/fan1k; done
read GW MS PS L PG RD < /tmp/stackpids
/work/shared/peers/side-by-side.sh /tmp/aotrun/sbs-1000-img 1000 50 20s 3 ws://127.0.0.1:8080/ws /tmp/fan1k $GW $MS $PS $L $PG $RD > /tmp/aotrun/sbs-1000-img.log 2>&1
python3 /work/shared/peers/summarize.py /tmp/aotrun/sbs-1000-img > /tmp/aotrun/sbs-1000-img.summary 2>&1
echo done
