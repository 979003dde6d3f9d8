#!/usr/bin/env bash
# Test certificates for the broker's TLS listener: a CA, a server certificate for localhost and
# 127.0.0.1, and optionally one client certificate per device id given.
#
#   deploy/tls/make-test-certs.sh OUT_DIR [DEVICE_ID ...]
#
# Writes OUT_DIR/ca.crt, ca.key, server.crt, server.key and DEVICE_ID.crt/.key. Keys are mode 0600.
# For testing only: a production CA key never sits beside the broker.
set -euo pipefail
out=${1:?usage: make-test-certs.sh OUT_DIR [DEVICE_ID ...]}
shift
mkdir -p "$out"
umask 077
days=30

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -subj "/CN=Vigil test CA" -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null

openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
  -keyout "$out/server.key" -out "$out/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$out/server.ext"
openssl x509 -req -sha256 -days "$days" -in "$out/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
  -CAcreateserial -extfile "$out/server.ext" -out "$out/server.crt" 2>/dev/null

for device in "$@"; do
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$device" \
    -keyout "$out/$device.key" -out "$out/$device.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$out/$device.ext"
  openssl x509 -req -sha256 -days "$days" -in "$out/$device.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -CAcreateserial -extfile "$out/$device.ext" -out "$out/$device.crt" 2>/dev/null
done

rm -f "$out"/*.csr "$out"/*.ext "$out"/*.srl
# The certificates are public; the broker (user mosquitto) must be able to read its key.
chmod 0644 "$out"/*.crt
echo "certificates in $out: ca.crt server.crt server.key${*:+ and client certificates for: $*}"
