#!/usr/bin/env bash
# Entrypoint of docker-compose.yml's kafka service: a single-node KRaft broker whose client listener requires
# SASL/SCRAM-SHA-512. The apache/kafka image has no setting for SCRAM users, and in KRaft they must exist before the
# broker starts (the broker itself logs in with one), so this writes the config and formats the storage with the
# users (kafka-storage format --add-scram) before starting Kafka. The data lives in the container (as with the image's
# defaults), so a recreated container starts over with the passwords of the moment; a restarted one keeps its users.
# Two client listeners, both SASL/SCRAM: 9092 for the compose network (advertised as kafka:9092) and 9094 for clients
# on the host, published on the host's 127.0.0.1:$KAFKA_HOST_PORT and advertised as that address.
set -euo pipefail
for v in KAFKA_ADMIN_PASSWORD KAFKA_RESDET_PASSWORD; do
  # Quotes, commas or brackets would break the JAAS line and the --add-scram syntax; say so instead.
  [[ "${!v:-}" =~ ^[A-Za-z0-9_.~-]{16,}$ ]] || { echo "kafka-sasl.sh: $v must be 16+ characters of A-Z a-z 0-9 _ . ~ -" >&2; exit 2; }
done
[[ "${KAFKA_HOST_PORT:=9092}" =~ ^[0-9]+$ ]] || { echo "kafka-sasl.sh: KAFKA_HOST_PORT must be a port number, got '$KAFKA_HOST_PORT'" >&2; exit 2; }
umask 077 # the files below hold the passwords
conf=/tmp/resdet-kafka/server.properties
mkdir -p /tmp/resdet-kafka
jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$KAFKA_ADMIN_PASSWORD\";"
cat > "$conf" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
# Clients and the broker itself: SASL/SCRAM. The controller listener stays on the container's loopback.
listeners=SASL_PLAINTEXT://:9092,HOST://:9094,CONTROLLER://127.0.0.1:9093
advertised.listeners=SASL_PLAINTEXT://kafka:9092,HOST://127.0.0.1:$KAFKA_HOST_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$jaas
listener.name.host.scram-sha-512.sasl.jaas.config=$jaas
log.dirs=/tmp/kraft-combined-logs
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
# For the healthcheck and for admin commands: docker compose exec kafka /opt/kafka/bin/kafka-topics.sh
#   --bootstrap-server localhost:9092 --command-config /tmp/resdet-kafka/admin.properties --list
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=%s\n' "$jaas" > /tmp/resdet-kafka/admin.properties
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --config "$conf" --cluster-id "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=resdet,password=$KAFKA_RESDET_PASSWORD]"
exec /opt/kafka/bin/kafka-server-start.sh "$conf"
