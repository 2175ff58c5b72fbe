#!/usr/bin/env bash
# Creates every chat topic listed in topics.conf and brings the retention and cleanup policy of existing ones in line
# with it, so it can run on every deploy. Partition counts are never changed for an existing topic: adding partitions
# moves keys to other partitions (and Kafka cannot remove any); do that by hand, see infra/README.md.
#   create-topics.sh <bootstrap-servers> [replication-factor]
# Runs in the apache/kafka image (docker-compose.yml's kafka-topics service, the Job in infra/k8s/kafka-topics.yaml) or
# anywhere the Kafka command-line tools are installed. For a cluster with TLS or SASL, set KAFKA_CLIENT_CONFIG to a
# client properties file.
set -euo pipefail
bootstrap="${1:?usage: create-topics.sh <bootstrap-servers> [replication-factor]}"
replication="${2:-1}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(dirname "$(command -v kafka-topics.sh || echo /opt/kafka/bin/kafka-topics.sh)")"
# Producers use acks=all: with three replicas, a write must reach two of them.
if (( replication >= 3 )); then min_isr=2; else min_isr=1; fi
client=()
if [[ -n "${KAFKA_CLIENT_CONFIG:-}" ]]; then
  client=(--command-config "$KAFKA_CLIENT_CONFIG")
fi

while read -r name partitions retention cleanup _; do
  [[ -z "${name:-}" || "$name" == \#* ]] && continue
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" ${client[@]+"${client[@]}"} --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$replication" \
    --config "retention.ms=$retention" --config "cleanup.policy=$cleanup" --config "min.insync.replicas=$min_isr"
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" ${client[@]+"${client[@]}"} --alter \
    --entity-type topics --entity-name "$name" \
    --add-config "retention.ms=$retention,cleanup.policy=[$cleanup],min.insync.replicas=$min_isr"
done < "$here/topics.conf"
echo "chat topics ready"
