# shellcheck shell=bash
# Ganeti's daemons of the current node: which ones, starting them through
# daemon-util inside the node's namespaces (sourced by tools/ganeti-sandbox).
# Stopping them is in processes.sh.

GNT_LIB=/usr/lib/ganeti
DAEMON_UTIL=$GNT_LIB/daemon-util
# Default daemon order (as daemon-util's DAEMONS); read from daemon-util when possible.
DEFAULT_DAEMONS="ganeti-noded ganeti-confd ganeti-wconfd ganeti-rapi ganeti-luxid ganeti-kvmd ganeti-mond"
# Daemons that run on the master only (on other nodes they exit with "not master").
MASTER_DAEMONS=" ganeti-wconfd ganeti-rapi ganeti-luxid "

# Sets DAEMON_LIST (once per run).
DAEMON_LIST=""
load_daemon_list() {
  if [[ -z "$DAEMON_LIST" ]]; then
    DAEMON_LIST=$("$DAEMON_UTIL" list-start-daemons 2>/dev/null | tr '\n' ' ') || true
    DAEMON_LIST=${DAEMON_LIST:-$DEFAULT_DAEMONS}
  fi
}

daemon_running() {
  local pid
  pid=$(pidfile_pid "$C_RUN/$1.pid")
  is_ganeti_pid "$pid" && in_our_ns "$pid" && sees_our_run "$pid"
}

node_log_dir() { if [[ -n "$N_ROOT" ]]; then printf '%s' "$N_ROOT/log"; else printf /var/log/ganeti; fi; }

# Set by cmd_up when another node of the cluster cannot run (it lost its
# state and is re-added later): the master's wconfd and luxid then start
# without asking the other nodes to agree that this node is the master.
NO_VOTING=0

start_daemon() {
  local d=$1 extra=() plain
  rm -f "$C_RUN/$d.pid"     # stale: start-stop-daemon refuses non-root pid files
  if [[ $NO_VOTING == 1 && ( $d == ganeti-wconfd || $d == ganeti-luxid ) ]]; then
    plain=${d#ganeti-}
    extra=(env "EXTRA_${plain^^}_ARGS=--no-voting --yes-do-it")   # read by daemon-util
  fi
  printf '== %s start %s on %s %s\n' "$(date -Is)" "$d" "$N_NAME" "${extra[*]}" >>"$C_LOG"
  ns_exec "${extra[@]}" "$DAEMON_UTIL" start "$d" </dev/null >>"$C_LOG" 2>&1 \
    || die "could not start $d on $N_NAME (see $C_LOG and $(node_log_dir)/)"
}

node_is_master() { [[ "$(cat "$C_LIB/ssconf_master_node" 2>/dev/null)" == "$N_NAME" ]]; }

# Starts the missing daemons of the current node; adds to STARTED_DAEMONS.
# In a cluster of several nodes: nothing on a node that has not joined (no
# server.pem), and the master's own daemons only on the master.
start_missing_daemons() {
  local d n=0 master=1
  if [[ ${#C_NODES[@]} -gt 1 ]]; then
    [[ -s "$C_LIB/server.pem" ]] || return 0
    node_is_master || master=0
  fi
  load_daemon_list
  for d in $DAEMON_LIST; do
    if [[ $master == 0 && "$MASTER_DAEMONS" == *" $d "* ]]; then continue; fi
    daemon_running "$d" && continue
    # kvmd exits at once ("KVM not enabled", "User shutdown not enabled")
    # unless kvm is an enabled hypervisor and the cluster has user shutdown.
    if [[ $d == ganeti-kvmd ]] && ! { grep -qx kvm "$C_LIB/ssconf_hypervisor_list" \
         && grep -qix true "$C_LIB/ssconf_enabled_user_shutdown"; } 2>/dev/null; then
      continue
    fi
    start_daemon "$d"
    n=$((n + 1))
  done
  STARTED_DAEMONS=$(( ${STARTED_DAEMONS:-0} + n ))
}

restart_daemon() {
  local d=$1 pid
  pid=$(pidfile_pid "$C_RUN/$d.pid")
  if is_ganeti_pid "$pid" && sees_our_run "$pid"; then kill_pids 10 "$pid"; fi
  start_daemon "$d"
}
