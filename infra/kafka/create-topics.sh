#!/usr/bin/env bash
# Creates (or leaves alone) every chat topic listed in topics.conf.
#   create-topics.sh <bootstrap-servers> [replication-factor]
# Runs in the apache/kafka image (docker-compose.yml's kafka-topics job) or anywhere kafka-topics.sh is on PATH.
set -euo pipefail
bootstrap="${1:?usage: create-topics.sh <bootstrap-servers> [replication-factor]}"
replication="${2:-1}"
here="$(cd "$(dirname "$0")" && pwd)"
kafka_topics="$(command -v kafka-topics.sh || echo /opt/kafka/bin/kafka-topics.sh)"

grep -v '^\s*#' "$here/topics.conf" | while read -r name partitions retention cleanup; do
  [[ -z "${name:-}" ]] && continue
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$replication" \
    --config "retention.ms=$retention" --config "cleanup.policy=$cleanup"
done
echo "chat topics ready"
