#!/usr/bin/env bash
# The image's health check: exit 0 when GET http://127.0.0.1:PORT/health/ready answers 200 (PATH as $1 to ask another).
# Bash's /dev/tcp instead of curl: Debian's JRE image (and CUDA's) has no curl, every image here has bash.
port="${RESDET_HTTP_PORT:-8080}"
{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || { echo "nothing listens on 127.0.0.1:$port"; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${1:-/health/ready}" >&3
IFS=$' \r' read -r -t 5 version status _ <&3 || { echo "no answer from 127.0.0.1:$port"; exit 1; }
[ "$status" = 200 ] || { echo "${1:-/health/ready}: HTTP $status"; exit 1; }
