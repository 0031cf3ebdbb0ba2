#!/usr/bin/env bash
# Several websocket-echo instances on Payara Micro in one data grid, behind nginx, on this machine.
#
#   deploy/cluster/cluster.sh start    builds what is missing, starts the instances and nginx, waits until all serve
#   deploy/cluster/cluster.sh stop     stops nginx and the instances this script started
#
# Settings, from the environment (defaults in brackets):
#   INSTANCES     how many instances [3]
#   PROXY_PORT    nginx's port [8080]
#   HTTP_PORTS    each instance's HTTP port [8081 8082 ...]
#   GRID_PORTS    each instance's data grid port [5901 5902 ...]
#   BIND          the address everything listens on [127.0.0.1]
#   MEMBERS       the data grid's member list [BIND:port for each of GRID_PORTS]
#   RUN_DIR       logs, process ids and nginx's files [target/cluster]
#   WAR, PAYARA_MICRO_JAR   what to run [target/websocket-echo.war, target/payara-micro-7.*.jar, built when missing]
#   JAVA_OPTS     more options for each instance's JVM
# ECHO_* settings (README.md) reach every instance, ECHO_PUBLISH_TOKEN for the publish API for example.
set -euo pipefail
cd "$(dirname "$0")/../.."

INSTANCES=${INSTANCES:-3}
PROXY_PORT=${PROXY_PORT:-8080}
BIND=${BIND:-127.0.0.1}
RUN_DIR=${RUN_DIR:-target/cluster}
if [ -z "${HTTP_PORTS:-}" ]; then
    HTTP_PORTS=$(seq -s ' ' 8081 $((8080 + INSTANCES)))
fi
if [ -z "${GRID_PORTS:-}" ]; then
    GRID_PORTS=$(seq -s ' ' 5901 $((5900 + INSTANCES)))
fi
read -r -a http_ports <<< "$HTTP_PORTS"
read -r -a grid_ports <<< "$GRID_PORTS"
if [ ${#http_ports[@]} -ne "$INSTANCES" ] || [ ${#grid_ports[@]} -ne "$INSTANCES" ]; then
    echo "HTTP_PORTS and GRID_PORTS need $INSTANCES ports each." >&2
    exit 2
fi
if [ -z "${MEMBERS:-}" ]; then
    MEMBERS=$(printf "$BIND:%s," "${grid_ports[@]}")
    MEMBERS=${MEMBERS%,}
fi
STARTUP_SECONDS=${STARTUP_SECONDS:-240}

# Waits until the instance at $1 answers its health check with 200, or its process ($2) ends.
await_health() {
    local port=$1 pid=$2 deadline=$((SECONDS + STARTUP_SECONDS))
    while [ $SECONDS -lt $deadline ]; do
        if ! kill -0 "$pid" 2> /dev/null; then
            return 1
        fi
        if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
                "http://$BIND:$port/websocket-echo/api/health" || true)" = 200 ]; then
            return 0
        fi
        sleep 1
    done
    return 1
}

# Stops the process whose id is in $1, if this script started it and it still runs: SIGTERM, then SIGKILL after 30 s.
stop_pid_file() {
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2> /dev/null; then
        kill "$pid" 2> /dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2> /dev/null || break
            sleep 0.5
        done
        kill -0 "$pid" 2> /dev/null && kill -9 "$pid" 2> /dev/null || true
    fi
    rm -f "$file"
}

stop() {
    stop_pid_file "$RUN_DIR/nginx.pid"
    for file in "$RUN_DIR"/instance-*.pid; do
        stop_pid_file "$file"
    done
}

start() {
    command -v curl > /dev/null || { echo "curl is needed (Debian: apt-get install curl)." >&2; exit 1; }
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    [ -x "$nginx" ] || { echo "nginx is needed (Debian: apt-get install nginx)." >&2; exit 1; }
    . deploy/find-jdk.sh
    local jdk
    if ! jdk=$(find_jdk 21 999); then
        echo "Payara Micro 7 needs a JDK 21 or newer: point JAVA_HOME at one." >&2
        exit 1
    fi

    local war=${WAR:-target/websocket-echo.war} jar=${PAYARA_MICRO_JAR:-}
    if [ -z "$jar" ]; then
        jar=$(ls target/payara-micro-7.*.jar 2> /dev/null | head -n 1 || true)
    fi
    if [ ! -f "$war" ] || [ ! -f "$jar" ]; then
        echo "Building the WAR and fetching Payara Micro..."
        JAVA_HOME=$jdk ./mvnw -q -B package dependency:copy@payara-micro -DskipTests -DskipUnitTests
        jar=$(ls target/payara-micro-7.*.jar | head -n 1)
    fi

    mkdir -p "$RUN_DIR"
    local i
    for i in $(seq 0 $((INSTANCES - 1))); do
        if [ -f "$RUN_DIR/instance-$((i + 1)).pid" ] && kill -0 "$(cat "$RUN_DIR/instance-$((i + 1)).pid")" 2> /dev/null; then
            echo "Instance $((i + 1)) runs already: deploy/cluster/cluster.sh stop first." >&2
            exit 1
        fi
    done
    for i in $(seq 0 $((INSTANCES - 1))); do
        # --nohostaware: every member here is on one host, and the grid keeps its backups on another member only
        # when members are not grouped by host. The grid listens on BIND alone (Hazelcast binds every interface
        # unless told otherwise), and notices a member that died in seconds rather than in its default 60.
        # shellcheck disable=SC2086
        "$jdk/bin/java" -Dorg.glassfish.startupThreadPolicy=USE_NO_THREADS \
            -Dhazelcast.socket.bind.any=false \
            -Dhazelcast.heartbeat.interval.seconds=1 -Dhazelcast.max.no.heartbeat.seconds=5 ${JAVA_OPTS:-} \
            -jar "$jar" --deploy "$war" --port "${http_ports[$i]}" \
            --prebootcommandfile deploy/payara-micro/preboot.asadmin \
            --clustermode "tcpip:$MEMBERS" --clustername websocket-echo --interfaces "$BIND" \
            --hzpublicaddress "$BIND" --startport "${grid_ports[$i]}" --nohostaware \
            --name "websocket-echo-$((i + 1))" \
            > "$RUN_DIR/instance-$((i + 1)).log" 2>&1 &
        echo $! > "$RUN_DIR/instance-$((i + 1)).pid"
    done
    for i in $(seq 0 $((INSTANCES - 1))); do
        if ! await_health "${http_ports[$i]}" "$(cat "$RUN_DIR/instance-$((i + 1)).pid")"; then
            echo "Instance $((i + 1)) did not come up; the end of $RUN_DIR/instance-$((i + 1)).log:" >&2
            tail -n 30 "$RUN_DIR/instance-$((i + 1)).log" >&2
            stop
            exit 1
        fi
        echo "Instance $((i + 1)): http://$BIND:${http_ports[$i]}/websocket-echo/ (pid $(cat "$RUN_DIR/instance-$((i + 1)).pid"))"
    done

    local servers="" port here
    here=$(cd "$RUN_DIR" && pwd)
    for port in "${http_ports[@]}"; do
        servers+="    server $BIND:$port max_fails=1 fail_timeout=5s;\n"
    done
    awk -v servers="$servers" -v listen="    listen $BIND:$PROXY_PORT;" '
        /^    server 127\.0\.0\.1:/ { if (!done) { printf "%s", servers; done = 1 } next }
        /^    listen / { print listen; next }
        { print }
    ' deploy/cluster/websocket-echo-cluster.conf > "$RUN_DIR/websocket-echo-cluster.conf"
    mkdir -p "$here/nginx-temp"
    cat > "$RUN_DIR/nginx.conf" <<NGINX
pid $here/nginx.pid;
error_log $here/nginx-error.log;
events {
    worker_connections 4096;
}
http {
    access_log $here/nginx-access.log;
    client_body_temp_path $here/nginx-temp/client_body;
    proxy_temp_path $here/nginx-temp/proxy;
    fastcgi_temp_path $here/nginx-temp/fastcgi;
    uwsgi_temp_path $here/nginx-temp/uwsgi;
    scgi_temp_path $here/nginx-temp/scgi;
    include $here/websocket-echo-cluster.conf;
}
NGINX
    if ! "$nginx" -p "$here" -c "$here/nginx.conf" 2> "$RUN_DIR/nginx-start.log"; then
        cat "$RUN_DIR/nginx-start.log" >&2
        stop
        exit 1
    fi
    # nginx writes its process id once it runs in the background.
    for _ in $(seq 1 50); do
        [ -s "$RUN_DIR/nginx.pid" ] && break
        sleep 0.1
    done
    echo "nginx: http://$BIND:$PROXY_PORT/websocket-echo/ (pid $(cat "$RUN_DIR/nginx.pid"))"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "Usage: $0 start|stop" >&2; exit 2 ;;
esac
