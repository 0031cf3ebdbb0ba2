#!/usr/bin/env bash
# Deploys, redeploys or undeploys websocket-echo on a running WildFly with jboss-cli.
#
#   deploy/wildfly/deploy.sh deploy   [target/websocket-echo.war]
#   deploy/wildfly/deploy.sh redeploy [target/websocket-echo.war]
#   deploy/wildfly/deploy.sh undeploy
#
# JBOSS_HOME names the WildFly installation; CONTROLLER its management interface (default localhost:9990).
set -euo pipefail

action=${1:-}
war=${2:-target/websocket-echo.war}
: "${JBOSS_HOME:?set JBOSS_HOME to the WildFly installation}"
cli=("$JBOSS_HOME/bin/jboss-cli.sh" --connect "--controller=${CONTROLLER:-localhost:9990}")
name=websocket-echo.war

case "$action" in
    deploy)
        "${cli[@]}" --command="deploy $war --name=$name"
        ;;
    redeploy)
        "${cli[@]}" --command="deploy $war --name=$name --force"
        ;;
    undeploy)
        "${cli[@]}" --command="undeploy $name"
        ;;
    *)
        echo "usage: $0 deploy|redeploy [WAR] | undeploy" >&2
        exit 2
        ;;
esac
echo "$action: done"
