#!/usr/bin/env bash
# Runs this folder's recipe for a self-contained jar: packs the WAR, the loopback preboot file and the options into
# one executable jar with Payara Micro's --outputuberjar, starts that jar and checks the page and the echo; stops it
# again whatever happens. Run by the build's payara-micro profiles after the integration tests.
#
#   deploy/payara-micro/check-recipes.sh PAYARA_MICRO_JAR WAR HTTP_PORT
#
# JAVA names the java program for Payara Micro (default: java on the PATH); Payara Micro 7 needs Java 21 or newer.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 PAYARA_MICRO_JAR WAR HTTP_PORT" >&2
    exit 2
fi
micro=$1
war=$2
port=$3
java=${JAVA:-java}
here=$(cd "$(dirname "$0")" && pwd)
bundle=$(dirname "$war")/websocket-echo-micro.jar
log=$(dirname "$war")/websocket-echo-micro.log

"$java" -jar "$micro" --deploy "$war" --contextroot websocket-echo --nohazelcast \
    --prebootcommandfile "$here/preboot.asadmin" --port "$port" --outputuberjar "$bundle"

"$java" -jar "$bundle" > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true' EXIT

deadline=$((SECONDS + 120))
until grep -qs "Payara Micro .* ready in" "$log"; do
    if ((SECONDS > deadline)) || ! kill -0 "$server" 2> /dev/null; then
        echo "The jar did not start; see $log" >&2
        exit 1
    fi
    sleep 1
done
java "$here/../EchoCheck.java" "http://127.0.0.1:$port/websocket-echo/"
if ss -ltn | awk '{print $4}' | grep ":$port\$" | grep -qv "127.0.0.1"; then
    echo "The jar listens on more than 127.0.0.1:$port" >&2
    exit 1
fi
echo "Payara Micro recipe: the self-contained jar serves the page and echoes"
