#!/usr/bin/env bash
# Runs this folder's recipes against a freshly started WildFly and checks the echo after each one, then switches
# permessage-deflate on with permessage-deflate.cli and checks that a browser's offer is taken; stops the server again
# whatever happens. Run by the build's wildfly profile after the integration tests.
#
#   deploy/wildfly/check-recipes.sh JBOSS_HOME WAR HTTP_PORT MANAGEMENT_PORT
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 JBOSS_HOME WAR HTTP_PORT MANAGEMENT_PORT" >&2
    exit 2
fi
export JBOSS_HOME=$1
war=$2
http_port=$3
export CONTROLLER=127.0.0.1:$4
here=$(cd "$(dirname "$0")" && pwd)
page=http://127.0.0.1:$http_port/websocket-echo/
cli=("$JBOSS_HOME/bin/jboss-cli.sh" --connect "--controller=$CONTROLLER")

# A copy of the server's configuration and deployments of its own, so that what the recipes change stays here.
base=$(mktemp -d)
cp -r "$JBOSS_HOME/standalone" "$base/"
console="$JBOSS_HOME/standalone/log/recipes-console.log"
# HTTPS on port 0: an ephemeral port, so that no fixed port is taken.
LAUNCH_JBOSS_IN_BACKGROUND=1 "$JBOSS_HOME/bin/standalone.sh" -Djboss.server.base.dir="$base/standalone" \
    -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1 \
    -Djboss.http.port="$http_port" -Djboss.management.http.port="$4" \
    -Djboss.https.port=0 -Djboss.management.https.port=0 > "$console" 2>&1 &
server=$!
stop() {
    "${cli[@]}" --command=:shutdown > /dev/null 2>&1 || kill "$server" 2> /dev/null || true
    wait "$server" 2> /dev/null || true
    rm -rf "$base"
}
trap stop EXIT

await_running() {
    local deadline=$((SECONDS + 120))
    until "${cli[@]}" --command=":read-attribute(name=server-state)" 2> /dev/null | grep -q '"result" => "running"'; do
        if ((SECONDS > deadline)) || ! kill -0 "$server" 2> /dev/null; then
            echo "WildFly did not start; see $console" >&2
            exit 1
        fi
    done
}
await_running

"$here/../check-deploy-cycle.sh" "$here/deploy.sh" "$war" "$page"
echo "WildFly recipes: deploy, redeploy and undeploy checked"

"${cli[@]}" --file="$here/permessage-deflate.cli" > /dev/null
await_running
"$here/deploy.sh" deploy "$war"
java "$here/../EchoCheck.java" "$page"
# The handshake's answer only: curl gives up waiting for frames after 3 s.
answer=$(curl --silent --include --max-time 3 --http1.1 -H "Connection: Upgrade" -H "Upgrade: websocket" \
    -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" \
    -H "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits" "${page}echo" || true)
if ! grep -qi '^sec-websocket-extensions: permessage-deflate' <<< "$answer"; then
    echo "permessage-deflate was not negotiated after permessage-deflate.cli; the handshake's answer:" >&2
    echo "$answer" >&2
    exit 1
fi
"$here/deploy.sh" undeploy
echo "WildFly recipes: permessage-deflate.cli checked"
