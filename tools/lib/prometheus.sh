# shellcheck shell=bash
# History for the dev stack and the tests (sourced by tools/stack and
# tools/test after common.sh): Debian's prometheus-node-exporter and
# prometheus-process-exporter inside each sandbox node's network namespace,
# on the node's own address, and one Prometheus in the host's namespace on
# 127.0.0.1:$PROMETHEUS_PORT scraping them every 5 s, its data in
# $STATE/prometheus. Only loopback and the sandbox namespaces are used.
#
# The packages' systemd units are never used (apt_install keeps them from
# starting): every process is started here, its pid kept in $STATE/run,
# reused while it runs and stopped by that pid (stop_prometheus, tools/stack
# down). The series carry the labels the dashboard's default [metrics]
# queries expect: cluster (the dashboard's cluster name, sandbox or
# sandbox2) and node (the Ganeti node name).
#
# The sandbox nodes share the host's process table and /proc: each node's
# node-exporter reports the machine's CPU, memory and disks (its network
# figures are the namespace's own), and each process-exporter sees every
# QEMU of the machine; the instance queries select by cluster and instance
# name, so a guest is still counted once.

PROMETHEUS_PORT=${PROMETHEUS_PORT:-9091}
PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT
NODE_EXPORTER_PORT=9100
PROCESS_EXPORTER_PORT=9256

# sandbox_nodes: "CLUSTER NETNS ADDRESS NODE" for each node of the sandbox
# clusters that is there (their network namespace exists), from
# tools/lib/sandbox/clusters.sh; CLUSTER is the name write_dashboard_config
# gives it.
sandbox_nodes() {
    (
        RAPI_PORT=${RAPI_PORT:-5080}
        GANETI_SANDBOX_STATE=$STATE/ganeti
        GANETI_SANDBOX_STATE2=$STATE/ganeti2
        # shellcheck source=tools/lib/sandbox/clusters.sh
        . "$REPO/tools/lib/sandbox/clusters.sh"
        local id name i
        for id in dash1 dash2; do
            cluster_select "$id"
            name=sandbox
            [ "$id" = dash2 ] && name=sandbox2
            for i in "${!C_NODES[@]}"; do
                node_select "$i"
                [ -e "/run/netns/$C_NETNS" ] || continue
                echo "$name $C_NETNS $C_NODE_IP $N_NAME"
            done
        done
    )
}

# metrics_answer URL: the exporter or Prometheus at URL answers.
metrics_answer() {
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null | grep -q '^200$'
}

# ensure_exporter KIND NETNS ADDRESS PORT COMMAND...: one exporter in a
# node's namespace, reused while its pid runs (or, started by another
# state, while its address answers).
ensure_exporter() {
    local kind=$1 netns=$2 address=$3 port=$4
    shift 4
    local pidfile=$STATE/run/$kind-$netns.pid
    if pid_alive "$pidfile" "$address:$port"; then
        metrics_answer "http://$address:$port/metrics" && return 0
        # Ours, but not answering: left in a namespace that was removed
        # (tools/ganeti-sandbox destroy) and made again since.
        log "$kind: restarting the one of $netns, which does not answer"
        stop_pidfile "$pidfile" "$address:$port"
    fi
    if metrics_answer "http://$address:$port/metrics"; then
        log "$kind: reusing the exporter already on $address:$port"
        return 0
    fi
    setsid ip netns exec "$netns" "$@" \
        > "$STATE/prometheus/$kind-$netns.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 50); do
        metrics_answer "http://$address:$port/metrics" && return 0
        sleep 0.2
    done
    die "$kind did not start on $address:$port in $netns; see $STATE/prometheus/$kind-$netns.log"
}

write_process_exporter_config() {
    # QEMU processes (Ganeti's kvm hypervisor starts each guest with
    # "-name <instance name>"), grouped by that name: the groupname label
    # of the namedprocess_namegroup_* series is the instance's name.
    cat > "$1.tmp" <<'EOF'
# Written by tools/lib/prometheus.sh: one group per QEMU guest, named by
# the instance name Ganeti passes as "-name".
process_names:
  - name: "{{.Matches.instance}}"
    cmdline:
      - '^\S*(qemu|kvm)\S*\s(.*\s)?-name\s+(?P<instance>[^,\s]+)'
EOF
    mv "$1.tmp" "$1"
}

write_prometheus_config() {
    # write_prometheus_config FILE NODE-LINES: scrape every node's two
    # exporters, labelled with the dashboard's cluster name and the Ganeti
    # node name.
    local file=$1 lines=$2 cluster netns address node job port
    {
        echo "# Written by tools/lib/prometheus.sh for the dev stack's sandboxes."
        echo "global:"
        echo "  scrape_interval: 5s"
        echo "  scrape_timeout: 4s"
        echo "  evaluation_interval: 5s"
        echo "scrape_configs:"
        for job in node process; do
            port=$NODE_EXPORTER_PORT
            [ "$job" = process ] && port=$PROCESS_EXPORTER_PORT
            echo "  - job_name: $job"
            echo "    static_configs:"
            while read -r cluster netns address node; do
                [ -n "$node" ] || continue
                echo "      - targets: ['$address:$port']"
                echo "        labels: {cluster: '$cluster', node: '$node'}"
            done <<< "$lines"
        done
    } > "$file.tmp"
    mv "$file.tmp" "$file"
}

ensure_prometheus() {
    apt_install prometheus prometheus-node-exporter prometheus-process-exporter
    local dir=$STATE/prometheus lines cluster netns address node
    mkdir -p "$dir/data" "$STATE/run"
    lines=$(sandbox_nodes)
    [ -n "$lines" ] || die "prometheus: no sandbox node namespace (is the Ganeti sandbox up?)"
    write_process_exporter_config "$dir/process-exporter.yml"
    while read -r cluster netns address node; do
        ensure_exporter node-exporter "$netns" "$address" "$NODE_EXPORTER_PORT" \
            prometheus-node-exporter --web.listen-address="$address:$NODE_EXPORTER_PORT" \
            --collector.disable-defaults --collector.cpu --collector.meminfo \
            --collector.diskstats --collector.netdev --collector.loadavg \
            --collector.filesystem
        ensure_exporter process-exporter "$netns" "$address" "$PROCESS_EXPORTER_PORT" \
            prometheus-process-exporter -web.listen-address "$address:$PROCESS_EXPORTER_PORT" \
            -config.path "$dir/process-exporter.yml" -threads=false -gather-smaps=false
    done <<< "$lines"

    local conf=$dir/prometheus.yml old
    old=$(cat "$conf" 2>/dev/null || true)
    write_prometheus_config "$conf" "$lines"
    local pidfile=$STATE/run/prometheus.pid
    if pid_alive "$pidfile" "$conf"; then
        if [ "$old" != "$(cat "$conf")" ]; then
            log "prometheus: reloading $conf"
            kill -HUP "$(cat "$pidfile")"
        fi
        return 0
    fi
    if port_open "$PROMETHEUS_PORT"; then
        if metrics_answer "$PROMETHEUS_URL/-/ready"; then
            log "prometheus: reusing the server already on 127.0.0.1:$PROMETHEUS_PORT"
            return 0
        fi
        die "127.0.0.1:$PROMETHEUS_PORT is taken by another program (set PROMETHEUS_PORT)"
    fi
    log "prometheus: starting on 127.0.0.1:$PROMETHEUS_PORT"
    # A year of a few nodes' series is a few hundred MB at most.
    setsid prometheus --config.file="$conf" --storage.tsdb.path="$dir/data" \
        --storage.tsdb.retention.time=400d \
        --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
        > "$dir/prometheus.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 100); do
        metrics_answer "$PROMETHEUS_URL/-/ready" && return 0
        sleep 0.2
    done
    die "prometheus did not start; see $dir/prometheus.log"
}

stop_prometheus() {
    local f
    stop_pidfile "$STATE/run/prometheus.pid" "$STATE/prometheus/prometheus.yml"
    for f in "$STATE"/run/node-exporter-*.pid; do
        [ -e "$f" ] && stop_pidfile "$f" prometheus-node-exporter
    done
    for f in "$STATE"/run/process-exporter-*.pid; do
        [ -e "$f" ] && stop_pidfile "$f" prometheus-process-exporter
    done
    return 0
}

prometheus_status() {
    if metrics_answer "$PROMETHEUS_URL/-/ready"; then
        echo "prometheus: up at $PROMETHEUS_URL/"
    else
        echo "prometheus: down"
        return 3
    fi
}
