#!/usr/bin/env bash
# Makes a self-signed certificate for https://localhost and https://127.0.0.1 in a PKCS#12 keystore, for development
# only: usage: dev-certificate.sh KEYSTORE [KEYTOOL]. An existing keystore is kept, so browsers that were told to trust
# it keep trusting it. The password is the JDK's well-known default: the key is made on this machine, for this machine.
set -euo pipefail
keystore=$1
keytool=${2:-keytool}
if [ -f "$keystore" ]; then
    exit 0
fi
mkdir -p "$(dirname "$keystore")"
"$keytool" -genkeypair -alias websocket-echo -keyalg EC -groupname secp256r1 -validity 825 \
    -dname "CN=localhost, O=websocket-echo development" \
    -ext "SAN=dns:localhost,ip:127.0.0.1,ip:::1" -ext "EKU=serverAuth" \
    -keystore "$keystore" -storetype PKCS12 -storepass changeit
echo "Made a self-signed development certificate in $keystore"
