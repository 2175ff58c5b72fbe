#!/usr/bin/env bash
# Runs the whole ERP Chat system locally with nothing but a JDK 17+:
# real Kafka (KRaft), PostgreSQL and Redis, the three services as separate processes, and a development token issuer.
#   ./run-local.sh                    build what is needed, start everything, Ctrl-C stops it all
#   ./run-local.sh token 7 "Lan"      print a development token for user 7
# Environment variables (CHAT_DATA_DIR, ports, external servers) are listed in README.md.
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" != "token" ]]; then
  echo "Building (first run downloads dependencies; later runs take seconds)..."
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true \
    -pl message-service,presence-service,gateway-service,local-stack -am package
fi

jar=$(ls local-stack/target/local-stack-*-exec.jar 2>/dev/null | head -n 1 || true)
if [[ -z "$jar" ]]; then
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl local-stack -am package
  jar=$(ls local-stack/target/local-stack-*-exec.jar | head -n 1)
fi
exec java -Dchat.repository-root="$PWD" -jar "$jar" "$@"
