# shellcheck shell=bash
# seed and unseed: thousands of instances at once (sourced by
# tools/ganeti-sandbox).
#
# Seeding: jobs create instances one after another on each node, far too
# slowly for thousands, so seed writes
# Ganeti's configuration instead. It waits until no job is pending, stops
# the master's daemons (wconfd keeps the configuration in memory; the other
# nodes keep theirs), has tools/lib/sandbox_seed.py add COUNT diskless
# fake-hypervisor instances to config.data (Ganeti's own configuration
# check must pass first) and write the fake hypervisor's file of each
# running one, starts the daemons and runs gnt-cluster redist-conf (ssconf,
# the other nodes' copies). Names are PREFIX-NNNNN.<cluster>.test (prefix
# "seed", numbered on from the highest there is), spread over the nodes in
# blocks; --running-share of them (0.5) run, the rest are ADMIN_down; owner
# tags go round each --project (default: the dev stack's Keystone projects
# demo and other, with their member users), then one unowned. Running
# seeded instances report 0 MB in use, so that real instances can still
# start beside thousands of them. unseed removes every
# PREFIX-<digits>.<cluster>.test instance the same way. The daemons are
# down for a few seconds; if anything fails meanwhile, they are started
# again (with the configuration from before if the new one was written).
# Most of the time is starting the daemons and redist-conf; seed prints
# what each step took. Ganeti itself slows down at that size (jobs, RAPI's
# bulk list and gnt-cluster verify: see the contributor guide's sandbox
# page); hail fails (FailMem: it counts the config's memory) while
# thousands are seeded, so give pnode.

ms_s() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }   # 12345 -> 12.3

# seed/unseed write Ganeti's configuration while the master's daemons are
# stopped (wconfd keeps the configuration in memory), through the helper
# tools/lib/sandbox_seed.py. The daemons of the other nodes keep running;
# "gnt-cluster redist-conf" afterwards gives them the new configuration and
# rewrites ssconf. Seeded instances: PREFIX-NNNNN.<cluster id>.test,
# diskless, fake hypervisor, spread over the nodes round-robin.
SEED_PY=$TOOLS/lib/sandbox_seed.py
SEED_PREFIX=seed
SEED_STATE=""          # "down": master's daemons stopped; "written": config replaced too
SEED_BACKUP=""

# The system python3: the helper imports Ganeti's own modules for its check.
seed_helper() { /usr/bin/python3 "$SEED_PY" "$@"; }

# Sets SEED_ARGS: the master's config, the domain and prefix, and every
# node's fake-hypervisor directory as seen from the host.
seed_args() {
  local i
  SEED_ARGS=(--config "$C_LIB/config.data" --domain "$C_ID.test" --prefix "$SEED_PREFIX")
  for i in "${!C_NODES[@]}"; do
    node_select "$i"
    mkdir_as "$C_RUN/fake-hypervisor" root:root 775
    SEED_ARGS+=(--fake-dir "$N_NAME=$C_RUN/fake-hypervisor")
  done
  node_select 0
}

# Waits up to TIMEOUT s until the cluster has no job queued or running:
# stopping the daemons under a job would fail it (e.g. a test's).
wait_jobs_idle() {
  local timeout=$1 deadline busy said=0
  deadline=$(( $(now_ms) + timeout * 1000 ))
  while :; do
    busy=$(ns_exec gnt-job list --no-headers -o id -F \
      'status == "queued" or status == "waiting" or status == "running" or status == "canceling"' \
      </dev/null 2>>"$C_LOG" | tr '\n' ' ') || die "gnt-job list failed (see $C_LOG)"
    [[ -z "${busy// /}" ]] && return 0
    (( $(now_ms) >= deadline )) \
      && die "job(s) ${busy% } still pending after ${timeout}s; not stopping the daemons under them (try again)"
    [[ $said == 1 ]] || log "waiting for job(s) ${busy% } to finish"
    said=1
    sleep 0.5
  done
}

# On exit while the master's daemons are down (an error, Ctrl-C): start
# them again, with the configuration from before when the new one was
# written already (its daemons may have refused it).
seed_restore() {
  local state=$SEED_STATE
  [[ -n "$state" ]] || return 0
  SEED_STATE=""
  trap - ERR
  set +e
  # a signal may have come inside a redirection to the log: our own stderr
  exec 2>&8
  node_select 0
  if [[ $state == written && -s "$SEED_BACKUP" ]]; then
    log "putting back the configuration from before ($SEED_BACKUP); running files of seeded instances may be left: run unseed"
    stop_daemons ganeti 0
    cp -p "$SEED_BACKUP" "$C_LIB/config.data"
  fi
  log "starting the daemons of $N_NAME again"
  if ( start_missing_daemons ); then
    rm -f "$SEED_BACKUP"
  else
    log "could not start the daemons of $N_NAME: run '$PROG --cluster $C_ID up'"
  fi
}

# seed_change seed|unseed HELPER_ARGS...: waits for running jobs, stops the
# master's daemons, lets the helper rewrite config.data (it runs Ganeti's
# own check first), starts the daemons, waits for RAPI and has Ganeti
# redistribute the configuration.
seed_change() {
  local action=$1 t0 t1 ts tw t2 t3 n
  shift
  [[ $EUID -eq 0 ]] || die "must run as root"
  # die when either test fails: that is meant
  # shellcheck disable=SC2015
  netns_exists && [[ "$(rapi_code /2/info 3)" == 200 ]] \
    || die "$C_ID is not up (run '$PROG --cluster $C_ID up' first)"
  with_lock
  check_cluster_ours
  node_select 0
  node_is_master || die "$N_NAME is not the master of $C_ID; $PROG expects node 1 to be"
  seed_args
  t0=$(now_ms)
  if [[ $action == unseed && "$(seed_helper count "${SEED_ARGS[@]:0:6}")" == 0 ]]; then
    # nothing in the config: only running files an interrupted seed left
    seed_helper unseed "${SEED_ARGS[@]}"
    printf 'unseed %s: no %s-*.%s instance(s); daemons left running\n' "$C_ID" "$SEED_PREFIX" "$C_ID.test"
    return 0
  fi
  wait_jobs_idle 120
  t1=$(now_ms)
  SEED_BACKUP=$C_STATE/seed-backup.config.data
  exec 8>&2
  trap 'exit 130' INT TERM HUP
  SEED_STATE=down
  stop_daemons ganeti 0
  ts=$(now_ms)
  cp -p "$C_LIB/config.data" "$SEED_BACKUP"
  seed_helper "$action" "${SEED_ARGS[@]}" "$@" || die "$action failed; config.data is as it was"
  SEED_STATE=written
  tw=$(now_ms)
  start_missing_daemons
  SEED_STATE=""
  trap - INT TERM HUP
  t2=$(now_ms)
  wait_rapi 120
  printf '== %s gnt-cluster redist-conf\n' "$(date -Is)" >>"$C_LOG"
  ns_exec gnt-cluster redist-conf </dev/null >>"$C_LOG" 2>&1 \
    || die "gnt-cluster redist-conf failed (see $C_LOG)"
  rm -f "$SEED_BACKUP"
  t3=$(now_ms)
  n=$(seed_helper count "${SEED_ARGS[@]:0:6}")
  printf '%s %s: %s s (waiting for jobs %s, daemons of %s down %s: stop %s, write %s, start %s; RAPI and redist-conf %s); %s %s-*.%s instance(s) now\n' \
    "$action" "$C_ID" "$(ms_s $((t3 - t0)))" "$(ms_s $((t1 - t0)))" "$N_NAME" "$(ms_s $((t2 - t1)))" \
    "$(ms_s $((ts - t1)))" "$(ms_s $((tw - ts)))" "$(ms_s $((t2 - tw)))" "$(ms_s $((t3 - t2)))" \
    "$n" "$SEED_PREFIX" "$C_ID.test"
}

cmd_seed() {
  local count="" share=0.5 owners=() lines=() a out
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --prefix|--running-share|--project) [[ $# -ge 2 ]] || die "$1 needs a value" ;;&
      --prefix) SEED_PREFIX=$2; shift 2 ;;
      --running-share) share=$2; shift 2 ;;
      --project)
        # Ganeti tags take letters, digits and .+*/:@-_ only
        [[ "$2" =~ ^[A-Za-z0-9._@+-]+(:[A-Za-z0-9._@+-]+)?$ ]] || die "--project: want ID or ID:USER_ID, not '$2'"
        owners+=(--owner "$2"); shift 2 ;;
      -*) die "seed: unknown option $1" ;;
      *) [[ -z "$count" ]] || die "seed: one COUNT only"; count=$1; shift ;;
    esac
  done
  [[ "$count" =~ ^[0-9]+$ ]] || die "usage: $PROG [--cluster C] seed COUNT [--prefix NAME] [--running-share F] [--project ID[:USER_ID]]..."
  [[ "$SEED_PREFIX" =~ ^[a-z][a-z0-9-]*$ ]] || die "--prefix: lower-case letters, digits and '-'"
  [[ "$share" =~ ^(0(\.[0-9]*)?|1(\.0*)?|\.[0-9]+)$ ]] || die "--running-share: a number from 0 to 1"
  if [[ ${#owners[@]} -eq 0 ]]; then
    out=$(seed_helper owners --keystone "$SEED_KEYSTONE_URL" --password "$ADMIN_PASSWORD" 2>>"$C_LOG") || true
    [[ -n "$out" ]] && mapfile -t lines <<<"$out"
    [[ ${#lines[@]} -gt 0 ]] \
      || die "could not read the projects demo and other from Keystone at $SEED_KEYSTONE_URL (see $C_LOG); give --project ID[:USER_ID]"
    for a in "${lines[@]}"; do owners+=(--owner "$a"); done
  fi
  seed_change seed --count "$count" --running-share "$share" "${owners[@]}"
}

cmd_unseed() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --prefix) [[ $# -ge 2 ]] || die "--prefix needs a value"; SEED_PREFIX=$2; shift 2 ;;
      *) die "unseed: unknown argument $1" ;;
    esac
  done
  [[ "$SEED_PREFIX" =~ ^[a-z][a-z0-9-]*$ ]] || die "--prefix: lower-case letters, digits and '-'"
  seed_change unseed
}
