# shellcheck shell=bash
# Which processes are the current node's (Ganeti's daemons and jobs, sshd,
# QEMU), and stopping them (sourced by tools/ganeti-sandbox). Both clusters'
# daemons have the same names: a process counts as ours only when it sees
# our /run/ganeti (and, where that matters, runs in our namespaces).

# A live (not zombie) process whose comm is ganeti-*. Builtins only.
is_ganeti_pid() { is_managed_pid "$1" 'ganeti-*'; }

# is_managed_pid PID [PATTERN]: PID is alive (a zombie, not yet reaped,
# counts as gone) and its comm matches PATTERN, or when none is given ganeti-*
# or sshd. Builtins only (used in /proc scans).
is_managed_pid() {
  local pid=$1 want=${2:-} comm st
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  { read -r comm <"/proc/$pid/comm"; } 2>/dev/null || return 1
  if [[ -n "$want" ]]; then
    # shellcheck disable=SC2053
    [[ "$comm" == $want ]] || return 1
  else
    [[ "$comm" == ganeti-* || "$comm" == sshd ]] || return 1
  fi
  { read -r st <"/proc/$pid/stat"; } 2>/dev/null || return 1
  st=${st##*) }
  [[ "${st%% *}" != Z ]]
}

# True when PID sees the current node's Ganeti run directory as its
# /run/ganeti: it was started through this node's wrapper (for dash1: it is a
# daemon of the host's Ganeti directories), never by another cluster, whose
# daemons have the same names.
sees_our_run() {
  [[ -d "$C_RUN" && "/proc/$1/root/run/ganeti" -ef "$C_RUN" ]] 2>/dev/null
}

# True when PID runs in our netns and not in the host's UTS namespace.
in_our_ns() {
  local pid=$1
  netns_exists || return 1
  [[ "/proc/$pid/ns/net" -ef "/run/netns/$C_NETNS" ]] 2>/dev/null || return 1
  [[ -e "/proc/$pid/ns/uts" && ! "/proc/$pid/ns/uts" -ef /proc/self/ns/uts ]] 2>/dev/null
}

# pidfile_pid FILE: prints the pid in FILE (digits only; nothing if none).
pidfile_pid() {
  local p=""
  { read -r -n 32 p <"$1"; } 2>/dev/null || true
  printf '%s' "${p//[!0-9]/}"
}

# kill_pids TIMEOUT_S PID... : SIGTERM all at once, wait, SIGKILL leftovers.
# The pids are ganeti-*/sshd processes, or match KILL_PATTERN when it is set.
kill_pids() {
  local timeout=$1; shift
  [[ $# -eq 0 ]] && return 0
  local pid left deadline
  kill -TERM "$@" 2>/dev/null || true
  deadline=$(( $(now_ms) + timeout * 1000 ))
  while :; do
    left=()
    for pid in "$@"; do
      if is_managed_pid "$pid" "${KILL_PATTERN:-}"; then left+=("$pid"); fi
    done
    [[ ${#left[@]} -eq 0 ]] && return 0
    (( $(now_ms) >= deadline )) && break
    sleep 0.1
  done
  log "SIGKILL to ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  sleep 0.2
}

# Processes from our pid files (any namespace, but seeing our /run/ganeti);
# "stray" = not in our namespaces.
daemon_pids() {
  local mode=$1 f pid
  for f in "$C_RUN"/ganeti-*.pid; do
    pid=$(pidfile_pid "$f")
    is_ganeti_pid "$pid" || continue
    sees_our_run "$pid" || continue
    case "$mode" in
      all) printf '%s\n' "$pid" ;;
      stray) in_our_ns "$pid" || printf '%s\n' "$pid" ;;
    esac
  done
  if [[ -n "$N_ROOT" ]]; then
    pid=$(pidfile_pid "$N_ROOT/ssh/sshd.pid")
    if is_managed_pid "$pid" sshd && sees_our_run "$pid"; then
      case "$mode" in
        all) printf '%s\n' "$pid" ;;
        stray) in_our_ns "$pid" || printf '%s\n' "$pid" ;;
      esac
    fi
  fi
  return 0
}

# Other processes of ours inside our netns (job processes, helpers; for a
# private root also ssh sessions).
netns_ganeti_pids() {
  netns_exists || return 0
  local pid
  for pid in $(ip netns pids "$C_NETNS" 2>/dev/null); do
    if [[ -n "$N_ROOT" ]]; then
      is_managed_pid "$pid" || continue
    else
      is_ganeti_pid "$pid" || continue
    fi
    if sees_our_run "$pid"; then printf '%s\n' "$pid"; fi
  done
}

# Our processes sharing a network namespace with one of the given pids
# (children of stray daemons, e.g. noded's workers, in an orphaned netns).
same_netns_ganeti_pids() {
  local pid ino inos=" " d host
  host=$(stat -L -c %i /proc/self/ns/net)
  for pid in "$@"; do
    ino=$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) || continue
    # only orphaned namespaces; never sweep the host's own network namespace
    [[ "$ino" != "$host" ]] && inos+="$ino "
  done
  [[ "$inos" == " " ]] && return 0
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    is_managed_pid "$pid" || continue
    ino=$(stat -L -c %i "$d/ns/net" 2>/dev/null) || continue
    [[ "$inos" == *" $ino "* ]] || continue
    if sees_our_run "$pid"; then printf '%s\n' "$pid"; fi
  done
  return 0
}

# For the current node.
stop_stray_daemons() {
  local pids
  mapfile -t pids < <(daemon_pids stray)
  if [[ ${#pids[@]} -gt 0 ]]; then
    mapfile -t pids < <( { printf '%s\n' "${pids[@]}"; same_netns_ganeti_pids "${pids[@]}"; } | sort -u)
    log "stopping ${#pids[@]} process(es) of $N_NAME running outside $C_NETNS: ${pids[*]}"
    kill_pids 15 "${pids[@]}"
  fi
}

# Our processes of the current node: pid files and netns, and for a private
# root also every ganeti-*/sshd process that sees the node's private
# /run/ganeti, wherever it runs (only this node's wrapper gives that view).
node_pids() {
  daemon_pids all
  netns_ganeti_pids
  if [[ -n "$N_ROOT" ]]; then
    local d pid
    for d in /proc/[0-9]*; do
      pid=${d#/proc/}
      is_managed_pid "$pid" || continue
      if sees_our_run "$pid"; then printf '%s\n' "$pid"; fi
    done
  fi
  return 0
}

# stop_daemons [ganeti [I...]]: stops the daemons (and sshd, unless
# "ganeti" is given) of all nodes, or of nodes I... (0-based), at once.
stop_daemons() {
  local only=${1:-} pids=() more i f pid nodes=("${@:2}")
  [[ ${#nodes[@]} -gt 0 ]] || nodes=("${!C_NODES[@]}")
  for i in "${nodes[@]}"; do
    node_select "$i"
    mapfile -t more < <(node_pids)
    for pid in "${more[@]}"; do
      if [[ $only == ganeti ]] && is_managed_pid "$pid" sshd; then continue; fi
      pids+=("$pid")
    done
  done
  node_select 0
  if [[ ${#pids[@]} -gt 0 ]]; then
    mapfile -t pids < <(printf '%s\n' "${pids[@]}" | sort -u)
    kill_pids 15 "${pids[@]}"
  fi
  for i in "${nodes[@]}"; do
    node_select "$i"
    for f in "$C_RUN"/ganeti-*.pid; do
      pid=$(pidfile_pid "$f")
      is_ganeti_pid "$pid" || rm -f "$f"
    done
    if [[ -n "$N_ROOT" ]]; then
      pid=$(pidfile_pid "$N_ROOT/ssh/sshd.pid")
      is_managed_pid "$pid" sshd || rm -f "$N_ROOT/ssh/sshd.pid"
    fi
  done
  node_select 0
}
