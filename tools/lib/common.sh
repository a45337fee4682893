# Shared by tools/stack, tools/test, tools/bench and tools/ganeti-sandbox:
# paths, messages, package installs, processes.
# shellcheck shell=bash

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${GANETI_DASHBOARD_STATE:-/var/lib/ganeti-dashboard-dev}
VENV=${GANETI_DASHBOARD_VENV:-/opt/ganeti-dashboard/venv}
PY=$VENV/bin/python
KEYSTONE_PORT=${KEYSTONE_PORT:-5000}
KEYSTONE_URL=http://127.0.0.1:$KEYSTONE_PORT/v3
MEMCACHED_PORT=${MEMCACHED_PORT:-11211}
HORIZON_PORT=${HORIZON_PORT:-8080}
CONSOLE_PORT=${CONSOLE_PORT:-6080}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-adminpw}

# log and die write to stderr. A script that sets LOG_PREFIX after sourcing
# this file (tools/ganeti-sandbox: "ganeti-sandbox:") has it stand before
# each message instead of the time, and before die's "error:".
# The daemons these scripts start (Ganeti's, Keystone, memcached) outlive
# them, and would keep open whatever descriptors the caller passed: the one
# `flock FILE tools/test` holds its lock on, say, which then stays locked
# until they stop. Descriptors 3-9 are the caller's, not ours: closed here.
for _fd in 3 4 5 6 7 8 9; do
    if [ -e "/proc/$$/fd/$_fd" ]; then eval "exec $_fd>&-"; fi
done
unset _fd

LOG_PREFIX=
log() { printf '%s %s\n' "${LOG_PREFIX:-$(date +%H:%M:%S)}" "$*" >&2; }
die() { printf '%serror: %s\n' "${LOG_PREFIX:+$LOG_PREFIX }" "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }

APT_OPTS=(-o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)
# Where apt's output goes (tools/ganeti-sandbox: the cluster's own log).
APT_LOG=$STATE/apt.log
# The policy-rc.d that apt_install made while it runs; a script's EXIT trap
# may remove it with apt_policy_restore (tools/ganeti-sandbox's does).
TMP_POLICY_RC=""

pkg_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)" == ii* ]]
}

apt_policy_restore() {
    if [[ -n "$TMP_POLICY_RC" ]]; then rm -f "$TMP_POLICY_RC"; TMP_POLICY_RC=""; fi
}

apt_update() {
    local i out
    for i in 1 2 3 4 5; do
        if out=$(DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update 2>&1); then
            return 0
        fi
        printf '%s\n' "$out" >>"$APT_LOG"
        log "apt-get update failed (attempt $i/5), retrying"
        # Another apt holding the lists lock: wait longer.
        if grep -q 'Could not get lock' <<<"$out"; then sleep 30; else sleep 5; fi
    done
    printf '%s\n' "$out" | tail -n 5 >&2
    apt_policy_restore
    die "apt-get update failed"
}

# apt_install PKG...: installs those of PKG... that are not installed yet,
# without recommends, waiting for other apt runs; updates the package lists
# first when one of them has no candidate, and again before a second try
# when the install fails. Services are started by these scripts, not by the
# packages (a temporary policy-rc.d).
apt_install() {
    local pkgs=() pkg
    for pkg in "$@"; do pkg_installed "$pkg" || pkgs+=("$pkg"); done
    [[ ${#pkgs[@]} -eq 0 ]] && return 0
    mkdir -p "$(dirname "$APT_LOG")"
    log "installing: ${pkgs[*]} (waits for other apt runs)"
    local t0; t0=$(now_ms)
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        # Keep postinsts from starting sshd / ganeti in the host namespace.
        TMP_POLICY_RC=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\n# temporary, by %s\nexit 101\n' "${0##*/}" >"$TMP_POLICY_RC"
        chmod 755 "$TMP_POLICY_RC"
    fi
    local known
    known=$(apt-cache policy "${pkgs[@]}" 2>/dev/null | grep -c 'Candidate: [^(]' || true)
    if [[ ${known:-0} -lt ${#pkgs[@]} ]]; then apt_update; fi
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}"
                   install -y --no-install-recommends "${pkgs[@]}")
    if ! "${install[@]}" >>"$APT_LOG" 2>&1; then
        log "apt-get install failed; updating package lists and retrying"
        apt_update
        "${install[@]}" >>"$APT_LOG" 2>&1 || {
            apt_policy_restore
            die "apt-get install ${pkgs[*]} failed (see $APT_LOG)"
        }
    fi
    apt_policy_restore
    log "installed in $(( ($(now_ms) - t0) / 1000 )) s"
}

ensure_venv() {
    # One venv for Horizon, Keystone and the test tools. Reinstalled only
    # when a requirements file changed.
    if [ ! -x "$PY" ]; then
        local python
        python=$(command -v python3.11 || command -v python3) \
            || die "python3 not found"
        "$python" -c 'import sys; assert sys.version_info >= (3, 11)' \
            || die "$python is older than 3.11"
        "$python" -m venv "$VENV" 2>/dev/null || {
            apt_install python3-venv
            "$python" -m venv "$VENV"
        }
    fi
    local stamp=$VENV/.ganeti-dashboard-requirements sum
    sum=$(cat "$REPO/requirements.txt" "$REPO/test-requirements.txt" \
              "$REPO/tools/lib/devstack-requirements.txt" \
              "$REPO/doc/requirements.txt" | sha1sum | cut -c1-40)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
        log "pip: installing requirements into $VENV"
        "$VENV/bin/pip" install -q --disable-pip-version-check \
            -r "$REPO/requirements.txt" -r "$REPO/test-requirements.txt" \
            -r "$REPO/tools/lib/devstack-requirements.txt" \
            -r "$REPO/doc/requirements.txt"
        echo "$sum" > "$stamp"
    fi
    ensure_develop_install
}

ensure_develop_install() {
    # This checkout, installed into the venv in develop mode without its
    # dependencies (the requirements above are those): oslo-config-generator,
    # oslopolicy-sample-generator and the other oslopolicy tools, and the
    # docs' Sphinx extensions, find the plugin's options and policy rules
    # only as entry points of an installed distribution (setup.cfg
    # [entry_points]). The venv points at the checkout that ran this
    # last; it is reinstalled when that checkout or its setup.cfg changes.
    #
    # Code still comes from the checkout that runs, also when the venv points
    # at another: the scripts put the checkout on PYTHONPATH, which precedes
    # site-packages on sys.path, and setuptools' editable finder is consulted
    # only after every sys.path entry (it is appended to sys.meta_path).
    # Entry points too: pip writes ganeti_dashboard.egg-info into the
    # checkout, and importlib.metadata takes the first distribution of a
    # name on sys.path. tools/check-sample-config relies on neither.
    local stamp=$VENV/.ganeti-dashboard-develop want
    want="$REPO $(sha1sum < "$REPO/setup.cfg" | cut -c1-40)"
    [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
    log "pip: installing $REPO into $VENV in develop mode (no dependencies)"
    # One pip at a time: another checkout may be switching the venv too.
    (
        flock 9
        "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps \
            -e "$REPO"
    ) 9> "$VENV/.ganeti-dashboard-develop.lock"
    echo "$want" > "$stamp"
}

ensure_console_assets() {
    # noVNC and xterm.js for the console pages, from their npm releases
    # (ganeti_dashboard/console/assets/package*.json), into $STATE, once per
    # version (tools/lib/console_assets.py, which also fills the sdist and
    # the wheel); Horizon serves them as static files
    # (ganeti_dashboard/static_assets.py).
    local dest=$STATE/console-assets
    "$PY" "$REPO/tools/lib/console_assets.py" --check "$dest" && return 0
    command -v npm >/dev/null 2>&1 || apt_install npm
    log "npm: installing the console libraries into $dest"
    "$PY" "$REPO/tools/lib/console_assets.py" "$dest" \
        || die "npm ci failed in $dest"
}

pid_alive() {
    # pid_alive PIDFILE PATTERN: the pid in the file runs a command matching
    # PATTERN (so a reused pid is never mistaken for ours).
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

stop_pidfile() {
    # stop_pidfile PIDFILE PATTERN: stop the process we started, by its pid.
    local pid
    if pid_alive "$1" "$2"; then
        pid=$(cat "$1")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$1"
}

port_open() {
    "$PY" - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
EOF
}

wait_http() {
    # wait_http URL SECONDS: poll until URL answers (any HTTP status < 500).
    local url=$1 limit=$2
    for _ in $(seq 1 $((limit * 5))); do
        if curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null \
                | grep -q '^[1234]'; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

ensure_memcached() {
    apt_install memcached
    mkdir -p "$STATE/run"
    if pid_alive "$STATE/run/memcached.pid" memcached; then return 0; fi
    if port_open "$MEMCACHED_PORT"; then
        log "memcached: reusing the server already on 127.0.0.1:$MEMCACHED_PORT"
        return 0
    fi
    # Not -d/-P: memcached writes its pid file after dropping to the
    # memcache user, which cannot write here. Our own pid file instead.
    setsid memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 128 \
        -u memcache > "$STATE/run/memcached.log" 2>&1 < /dev/null &
    echo $! > "$STATE/run/memcached.pid"
    for _ in $(seq 1 25); do port_open "$MEMCACHED_PORT" && return 0; sleep 0.2; done
    die "memcached did not start on 127.0.0.1:$MEMCACHED_PORT"
}

KEYSTONE_CACHE_SOCKET=$STATE/run/keystone-cache.sock

ensure_keystone_cache() {
    # Keystone's own memcached, on a unix socket in this state: Keystone's
    # cache keys carry no prefix, so two Keystones (another state beside
    # this one) on one memcached would answer from each other's users.
    local pidfile=$STATE/run/keystone-cache.pid
    if pid_alive "$pidfile" "$KEYSTONE_CACHE_SOCKET" && [ -S "$KEYSTONE_CACHE_SOCKET" ]; then
        return 0
    fi
    stop_pidfile "$pidfile" "$KEYSTONE_CACHE_SOCKET"
    rm -f "$KEYSTONE_CACHE_SOCKET"
    setsid memcached -s "$KEYSTONE_CACHE_SOCKET" -a 0700 -m 64 -u root \
        > "$STATE/run/keystone-cache.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 25); do [ -S "$KEYSTONE_CACHE_SOCKET" ] && return 0; sleep 0.2; done
    die "Keystone's memcached did not start on $KEYSTONE_CACHE_SOCKET"
}

ensure_keystone() {
    local ks=$STATE/keystone
    mkdir -p "$ks/fernet-keys" "$ks/credential-keys" "$STATE/run"
    chmod 700 "$ks/fernet-keys" "$ks/credential-keys"
    apt_install memcached
    ensure_keystone_cache
    if curl -s -m 3 "$KEYSTONE_URL" 2>/dev/null | grep -q '"id": *"v3'; then
        log "keystone: up at $KEYSTONE_URL"
    else
        # Written at every start, so that a state made by an older checkout
        # gets the same settings. Keystone caches in memcached, as devstack
        # and production deployments run it: without its cache every
        # request checks its token against SQLite again, and every Horizon
        # page waits for it to list the projects of its header.
        cat > "$ks/keystone.conf" <<EOF
[DEFAULT]
log_dir = $ks
[database]
connection = sqlite:///$ks/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $ks/fernet-keys
[credential]
key_repository = $ks/credential-keys
[cache]
enabled = true
backend = dogpile.cache.pymemcache
memcache_servers = unix:$KEYSTONE_CACHE_SOCKET
EOF
        if [ ! -f "$ks/keystone.db" ]; then
            log "keystone: creating its database"
            local km=(env PYTHONWARNINGS=ignore "$VENV/bin/keystone-manage" --config-file "$ks/keystone.conf")
            "${km[@]}" db_sync
            "${km[@]}" fernet_setup --keystone-user root --keystone-group root
            "${km[@]}" credential_setup --keystone-user root --keystone-group root
            "${km[@]}" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
                --bootstrap-region-id RegionOne \
                --bootstrap-admin-url "$KEYSTONE_URL/" \
                --bootstrap-internal-url "$KEYSTONE_URL/" \
                --bootstrap-public-url "$KEYSTONE_URL/"
        fi
        # Keystone parses sys.argv with oslo.config, so gunicorn gets no
        # arguments: everything is in gunicorn.conf.py in its directory.
        cat > "$ks/gunicorn.conf.py" <<EOF
wsgi_app = "keystone.wsgi.api:application"
bind = "127.0.0.1:$KEYSTONE_PORT"
workers = 2
timeout = 60
pidfile = "$STATE/run/keystone.pid"
errorlog = "$ks/gunicorn.log"
raw_env = ["OS_KEYSTONE_CONFIG_DIR=$ks"]
daemon = True
EOF
        if port_open "$KEYSTONE_PORT"; then
            die "127.0.0.1:$KEYSTONE_PORT is taken by something that is not Keystone"
        fi
        log "keystone: starting on 127.0.0.1:$KEYSTONE_PORT"
        (cd "$ks" && "$VENV/bin/gunicorn")
        wait_http "$KEYSTONE_URL" 60 || die "keystone did not answer; see $ks/gunicorn.log"
    fi
    "$PY" "$REPO/tools/lib/keystone_seed.py" "$KEYSTONE_URL" "$ADMIN_PASSWORD"
}

stop_keystone() {
    stop_pidfile "$STATE/run/keystone.pid" "gunicorn"
    stop_pidfile "$STATE/run/keystone-cache.pid" "$KEYSTONE_CACHE_SOCKET"
    rm -f "$KEYSTONE_CACHE_SOCKET"
}

ensure_ganeti() {
    GANETI_SANDBOX_STATE=$STATE/ganeti GANETI_SANDBOX_STATE2=$STATE/ganeti2 \
        "$REPO/tools/ganeti-sandbox" up
}

console_secret() {
    # The dev stack's console token key, made once.
    local f=$STATE/console-secret
    if [ ! -s "$f" ]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$f")
    fi
    cat "$f"
}

ensure_console_proxy() {
    # ganeti-console-proxy of this checkout, restarted so that it reads the
    # configuration just written; stopped by its pid only.
    local pidfile=$STATE/run/console-proxy.pid
    stop_pidfile "$pidfile" "ganeti_dashboard.console.proxy"
    if port_open "$CONSOLE_PORT"; then
        die "127.0.0.1:$CONSOLE_PORT is taken by another program (set CONSOLE_PORT)"
    fi
    log "console proxy: starting on 127.0.0.1:$CONSOLE_PORT"
    PYTHONPATH=$REPO setsid "$PY" -m ganeti_dashboard.console.proxy \
        --config-file "$1" > "$STATE/console-proxy.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 50); do port_open "$CONSOLE_PORT" && return 0; sleep 0.2; done
    die "the console proxy did not start; see $STATE/console-proxy.log"
}

write_dashboard_config() {
    # write_dashboard_config FILE: ganeti-dashboard.conf for the sandboxes.
    local env name
    {
        echo "# Written by tools/stack: the dev stack's sandbox clusters."
        echo "[DEFAULT]"
        echo "refresh_interval = 10"
        for name in sandbox sandbox2; do
            env=$STATE/ganeti/cluster.env
            [ "$name" = sandbox2 ] && env=$STATE/ganeti2/cluster.env
            [ -f "$env" ] || continue
            # RAPI_URL and the rest come from the sandbox's cluster.env.
            # shellcheck disable=SC1090,SC2153
            (
                . "$env"
                echo
                echo "[cluster:$name]"
                echo "rapi_url = $RAPI_URL"
                echo "rapi_user = $RAPI_USER"
                echo "rapi_password = $RAPI_PASSWORD"
                echo "ca_file = $RAPI_CA"
                echo "connect_timeout = 3"
                echo "read_timeout = 15"
                echo "description = Dev stack sandbox $CLUSTER_NAME ($HYPERVISORS hypervisor)"
            )
        done
        echo
        if [ -n "${PROMETHEUS_URL:-}" ]; then
            echo "[metrics]"
            echo "# The dev stack's Prometheus (tools/lib/prometheus.sh)."
            echo "prometheus_url = $PROMETHEUS_URL"
            echo
        fi
        echo "[console]"
        echo "proxy_url = ws://127.0.0.1:$CONSOLE_PORT"
        echo "listen_address = 127.0.0.1"
        echo "listen_port = $CONSOLE_PORT"
        echo "allowed_origins = http://127.0.0.1:$HORIZON_PORT,http://localhost:$HORIZON_PORT"
        echo "secret = $(console_secret)"
        echo "token_store = 127.0.0.1:$MEMCACHED_PORT"
        echo "# The proxy runs on the host, where sandbox's serial sockets are."
        echo "serial_mode = local"
    } > "$1.tmp"
    chmod 600 "$1.tmp"
    mv "$1.tmp" "$1"
}
