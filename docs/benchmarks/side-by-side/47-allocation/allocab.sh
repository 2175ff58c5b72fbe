#!/usr/bin/env bash
# allocab.sh : alternate old/new gateway jars; per cycle 3 warm rounds and 3 measured rounds with young-GC figures
for cyc in 1 2; do for v in old new; do
  JAR=/tmp/gwjars/$v.jar /tmp/gwstart3.sh $v
  for i in 1 2 3; do /tmp/perproc.sh /tmp/alloc/$v$cyc-warm$i java 1000 50 20s /tmp/fan1k >/dev/null; done
  for i in 1 2 3; do
    read GW MS PS L PG RD < /tmp/stackpids
    b=$(jstat -gc $GW | tail -1)
    r=$(/tmp/perproc.sh /tmp/alloc/$v$cyc-r$i java 1000 50 20s /tmp/fan1k)
    a=$(jstat -gc $GW | tail -1)
    python3 - "$b" "$a" "$v" "$r" <<'PY'
import sys
b=list(map(float,sys.argv[1].split())); a=list(map(float,sys.argv[2].split()))
# cols: S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU YGC YGCT FGC FGCT CGC CGCT GCT
ygc=a[12]-b[12]; ygct=a[13]-b[13]
alloc_mb=(ygc*b[4] + a[5]-b[5])/1024  # approx: eden capacity per young GC + eden growth
print(f"== {sys.argv[3]} ygc {int(ygc)} ygct_ms {ygct*1000:.0f} alloc_mb~{alloc_mb:.0f} | {sys.argv[4]}")
PY
  done
done; done
echo finished
