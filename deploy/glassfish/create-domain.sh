#!/usr/bin/env bash
# Creates a GlassFish or Payara Server domain for development and tests: the admin and HTTP listeners on the given
# ports, every other port at a port base found free below the ephemeral range, every listener on 127.0.0.1, no
# Hazelcast data grid and no JMS broker, admin without password.
#
#   deploy/glassfish/create-domain.sh SERVER_HOME DOMAIN ADMIN_PORT HTTP_PORT
#
# SERVER_HOME is the unpacked distribution: glassfish7 or payara6.
#
# An existing domain of that name is deleted first.
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 SERVER_HOME DOMAIN ADMIN_PORT HTTP_PORT" >&2
    exit 2
fi
payara_home=$1
domain=$2
admin_port=$3
http_port=$4
asadmin="$payara_home/bin/asadmin"
config="$payara_home/glassfish/domains/$domain/config/domain.xml"

if [ -d "$payara_home/glassfish/domains/$domain" ]; then
    "$asadmin" delete-domain "$domain"
fi
# The port base puts the domain's other listeners (IIOP, JMX, OSGi shell) out of other servers' way; create-domain
# refuses a base whose ports are taken, so try a few.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for attempt in 1 2 3 4 5; do
    portbase=$((20000 + RANDOM % 120 * 100))
    if "$asadmin" create-domain --portbase "$portbase" --nopassword "$domain" > "$log" 2>&1; then
        break
    fi
    if ! grep -q "is in use" "$log" || [ "$attempt" -eq 5 ]; then
        cat "$log" >&2
        exit 1
    fi
done

# Before the first start: bind every listener to loopback, and switch off the JMS broker (and Payara's data grid),
# which would otherwise listen on every interface. The first <config> of domain.xml is the server's own.
if ! grep -m 1 '<config ' "$config" | grep -q 'name="server-config"'; then
    echo "$config does not start with the server-config" >&2
    exit 1
fi
jms_service='<jms-service type="DISABLED" default-jms-host="default_JMS_host"><jms-host name="default_JMS_host" host="127.0.0.1" port="'"$((portbase + 76))"'"></jms-host></jms-service>'
sed -i \
    -e 's/address="0\.0\.0\.0"/address="127.0.0.1"/g' \
    -e 's/<network-listener port=/<network-listener address="127.0.0.1" port=/' \
    -e '/name="admin-listener"/s/ port="[0-9]*"/ port="'"$admin_port"'"/' \
    -e '/name="http-listener-1"/s/ port="[0-9]*"/ port="'"$http_port"'"/' \
    -e 's#<hazelcast-config-specific-configuration></hazelcast-config-specific-configuration>#<hazelcast-config-specific-configuration enabled="false"></hazelcast-config-specific-configuration>#' \
    -e '0,/<\/config>/s#^\( *\)</config>#\1  '"$jms_service"'\n\1</config>#' \
    "$config"
server_config=$(sed -n '0,/<\/config>/p' "$config")
for expected in 'type="DISABLED"' 'network-listener address="127.0.0.1"' "port=\"$admin_port\"" "port=\"$http_port\""; do
    if ! grep -q "$expected" <<< "$server_config"; then
        echo "$config does not have the expected layout: no $expected after editing it" >&2
        exit 1
    fi
done
if [ "$(grep -c '<jms-service' <<< "$server_config")" -ne 1 ] \
        || grep -q '<hazelcast-config-specific-configuration>' <<< "$server_config"; then
    echo "$config does not have the expected layout: JMS or the data grid is still on" >&2
    exit 1
fi
echo "Domain $domain: admin http://127.0.0.1:$admin_port, HTTP http://127.0.0.1:$http_port, other ports from $portbase"
