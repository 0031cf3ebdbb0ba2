#!/usr/bin/env bash
# Runs this folder's recipes against a freshly started WildFly and checks the echo after each one; stops the server
# again whatever happens. Run by the build's wildfly profile after the integration tests.
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

# HTTPS on port 0: an ephemeral port, so that no fixed port is taken.
LAUNCH_JBOSS_IN_BACKGROUND=1 "$JBOSS_HOME/bin/standalone.sh" \
    -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1 \
    -Djboss.http.port="$http_port" -Djboss.management.http.port="$4" \
    -Djboss.https.port=0 -Djboss.management.https.port=0 > "$JBOSS_HOME/standalone/log/recipes-console.log" 2>&1 &
server=$!
stop() {
    "${cli[@]}" --command=:shutdown > /dev/null 2>&1 || kill "$server" 2> /dev/null || true
    wait "$server" 2> /dev/null || true
}
trap stop EXIT

deadline=$((SECONDS + 120))
until "${cli[@]}" --command=":read-attribute(name=server-state)" 2> /dev/null | grep -q '"result" => "running"'; do
    if ((SECONDS > deadline)) || ! kill -0 "$server" 2> /dev/null; then
        echo "WildFly did not start; see $JBOSS_HOME/standalone/log/recipes-console.log" >&2
        exit 1
    fi
done

"$here/../check-deploy-cycle.sh" "$here/deploy.sh" "$war" "$page"
echo "WildFly recipes: deploy, redeploy and undeploy checked"
