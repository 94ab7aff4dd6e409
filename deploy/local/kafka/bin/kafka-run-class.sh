#!/usr/bin/env bash
# kafka-run-class.sh CLASS ARGS...: as in the Kafka distribution, with its jars in /opt/kafka/libs.
# KAFKA_HEAP_OPTS and KAFKA_OPTS are honoured as there; the tools get a small heap and C1 only (they run in a second).
set -euo pipefail
cls="$1"; shift
if [ "$cls" = kafka.Kafka ]; then
  heap="${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}"
else
  heap="${KAFKA_TOOLS_HEAP_OPTS:--Xmx256M -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
fi
# shellcheck disable=SC2086 # the *_OPTS variables are word lists, as in the distribution's scripts
# log4j-api (used by a few Kafka classes) has no implementation here: its simple logger, without the warning.
exec java $heap -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory ${KAFKA_OPTS:-} \
  -cp '/opt/kafka/libs/*' "$cls" "$@"
