# shellcheck shell=bash
# plugin.sh - DevStack plugin of ganeti-dashboard
#
#   stack install      pip-install the plugin from $GANETI_DASHBOARD_DIR
#                      (setup_develop) and install the console's noVNC and
#                      xterm.js from npm into the clone, where Horizon's
#                      settings look for them by default
#   stack post-config  copy the plugin's enabled files and local_settings.d
#                      snippet into Horizon's openstack_dashboard/local/,
#                      write ganeti-dashboard.conf if it does not exist yet,
#                      set its [console] section, then collectstatic +
#                      compress with the manage.py of DevStack's Horizon
#                      clone ($HORIZON_DIR)
#   stack extra        register the ganeti service (with an endpoint, so
#                      members' token catalogs name it) and its default
#                      limits in Keystone; start ganeti-console-proxy
#                      (run_process)
#   unstack, clean     stop ganeti-console-proxy, remove the files copied
#                      into Horizon (the configuration file is kept)
#
# Variables: devstack/settings.

# Save trace setting
_XTRACE_GANETI_DASHBOARD=$(set +o | grep xtrace)
set +o xtrace

GANETI_DASHBOARD_PKG_DIR=$GANETI_DASHBOARD_DIR/ganeti_dashboard
GANETI_DASHBOARD_HORIZON_ENABLED=$HORIZON_DIR/openstack_dashboard/local/enabled
GANETI_DASHBOARD_HORIZON_SETTINGS_D=$HORIZON_DIR/openstack_dashboard/local/local_settings.d

# install_ganeti_dashboard - pip-install the plugin in develop mode, and the
# console's browser libraries from npm into the clone (once per version:
# tools/lib/console_assets.py, which also fills the sdist and the wheel)
function install_ganeti_dashboard {
    setup_develop "$GANETI_DASHBOARD_DIR"
    if is_service_enabled ganeti-console-proxy; then
        command -v npm >/dev/null 2>&1 || install_package npm
        "$PYTHON" "$GANETI_DASHBOARD_DIR/tools/lib/console_assets.py"
    fi
}

# _ganeti_dashboard_conf_value VALUE - VALUE for an oslo.config file:
# oslo.config substitutes $name in values, so a literal $ is written $$.
function _ganeti_dashboard_conf_value {
    local value=$1
    echo "${value//\$/\$\$}"
}

# _ganeti_dashboard_write_conf - ganeti-dashboard.conf from GANETI_* variables,
# only if the file does not exist (an operator's file is never overwritten)
function _ganeti_dashboard_write_conf {
    local conf=$GANETI_DASHBOARD_CONF
    local owner=${APACHE_USER:-$STACK_USER}
    if sudo test -e "$conf"; then
        echo "ganeti-dashboard: keeping the existing $conf"
        return 0
    fi
    sudo install -d -o "$owner" -m 0750 "$(dirname "$conf")"
    local tmp
    tmp=$(mktemp)
    {
        echo "# Written by the ganeti-dashboard DevStack plugin, which does not"
        echo "# rewrite it while it exists. All options: etc/ganeti-dashboard.conf.sample"
        echo "[DEFAULT]"
        if [[ -n "$GANETI_RAPI_URL" ]]; then
            echo
            echo "[cluster:$GANETI_CLUSTER_NAME]"
            echo "rapi_url = $(_ganeti_dashboard_conf_value "$GANETI_RAPI_URL")"
            if [[ -n "$GANETI_RAPI_USER" ]]; then
                echo "rapi_user = $(_ganeti_dashboard_conf_value "$GANETI_RAPI_USER")"
            fi
            if [[ -n "$GANETI_RAPI_PASSWORD" ]]; then
                echo "rapi_password = $(_ganeti_dashboard_conf_value "$GANETI_RAPI_PASSWORD")"
            fi
            if [[ -n "$GANETI_RAPI_CA_FILE" ]]; then
                echo "ca_file = $(_ganeti_dashboard_conf_value "$GANETI_RAPI_CA_FILE")"
            fi
        else
            echo
            echo "# No cluster yet: add a [cluster:<name>] section with at least"
            echo "# rapi_url, or set GANETI_RAPI_URL in local.conf, remove this"
            echo "# file and stack again."
        fi
    } > "$tmp"
    sudo install -o "$owner" -m 0600 "$tmp" "$conf"
    rm -f "$tmp"
    if [[ -z "$GANETI_RAPI_URL" ]]; then
        echo "ganeti-dashboard: GANETI_RAPI_URL is not set; $conf has no cluster"
    fi
}

# _ganeti_dashboard_console_conf - the [console] section that Horizon and
# ganeti-console-proxy read; a secret the file has is kept unless
# GANETI_CONSOLE_SECRET names one
function _ganeti_dashboard_console_conf {
    local conf=$GANETI_DASHBOARD_CONF
    local secret=$GANETI_CONSOLE_SECRET
    if [[ -z "$secret" && -z "$(iniget "$conf" console secret 2>/dev/null || true)" ]]; then
        secret=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')
    fi
    local option value
    for option in proxy_url listen_address listen_port allowed_origins \
            token_store secret; do
        case $option in
            proxy_url) value=$GANETI_CONSOLE_PROXY_URL ;;
            listen_address) value=$GANETI_CONSOLE_LISTEN_ADDRESS ;;
            listen_port) value=$GANETI_CONSOLE_PORT ;;
            allowed_origins) value=$GANETI_CONSOLE_ALLOWED_ORIGINS ;;
            token_store) value=$GANETI_CONSOLE_TOKEN_STORE ;;
            secret) value=$secret ;;
        esac
        [[ -n "$value" ]] || continue
        iniset -sudo "$conf" console "$option" \
            "$(_ganeti_dashboard_conf_value "$value")"
    done
}

# configure_ganeti_dashboard - enable the plugin in Horizon
function configure_ganeti_dashboard {
    if ! is_service_enabled horizon; then
        die $LINENO "ganeti-dashboard needs the horizon service"
    fi
    local src
    for src in "$GANETI_DASHBOARD_PKG_DIR"/enabled/_[0-9]*.py; do
        [[ -e "$src" ]] || continue
        cp -p "$src" "$GANETI_DASHBOARD_HORIZON_ENABLED/"
    done
    mkdir -p "$GANETI_DASHBOARD_HORIZON_SETTINGS_D"
    for src in "$GANETI_DASHBOARD_PKG_DIR"/local_settings.d/_[0-9]*.py; do
        [[ -e "$src" ]] || continue
        cp -p "$src" "$GANETI_DASHBOARD_HORIZON_SETTINGS_D/"
    done
    _ganeti_dashboard_write_conf
    if is_service_enabled ganeti-console-proxy; then
        _ganeti_dashboard_console_conf
    fi
}

# init_ganeti_dashboard - collect and compress the static files, the plugin's
# and the console's libraries included, with the manage.py of DevStack's
# Horizon clone (DevStack's init_horizon does it again later; harmless)
function init_ganeti_dashboard {
    (cd "$HORIZON_DIR" && "$PYTHON" manage.py collectstatic --noinput)
    (cd "$HORIZON_DIR" && "$PYTHON" manage.py compress --force)
}

# create_ganeti_dashboard_limits - the ganeti service, its endpoint and its
# registered (default) limits; project limits are the operators' to set
function create_ganeti_dashboard_limits {
    get_or_create_service "ganeti" "ganeti" "Ganeti clusters (ganeti-dashboard)"
    get_or_create_endpoint "ganeti" "$REGION_NAME" "$GANETI_DASHBOARD_SERVICE_URL"
    local resource value have
    have=$(openstack --os-cloud devstack-system-admin registered limit list \
        --service ganeti -f value -c "Resource Name")
    for resource in instances vcpus memory_mb disk_gb; do
        value=GANETI_DASHBOARD_LIMIT_${resource^^}
        if ! grep -qx "$resource" <<<"$have"; then
            openstack --os-cloud devstack-system-admin registered limit create \
                --service ganeti --default-limit "${!value}" "$resource"
        fi
    done
}

# start_ganeti_dashboard_console - ganeti-console-proxy as a DevStack
# service, as the user who owns (and alone may read) the configuration file
function start_ganeti_dashboard_console {
    run_process ganeti-console-proxy \
        "$(get_python_exec_prefix)/ganeti-console-proxy --config-file $GANETI_DASHBOARD_CONF" \
        "" "${APACHE_USER:-$STACK_USER}"
}

# stop_ganeti_dashboard_console - stop what start_ganeti_dashboard_console ran
function stop_ganeti_dashboard_console {
    stop_process ganeti-console-proxy
}

# cleanup_ganeti_dashboard - remove what configure_ganeti_dashboard copied
function cleanup_ganeti_dashboard {
    local src name
    for src in "$GANETI_DASHBOARD_PKG_DIR"/enabled/_[0-9]*.py; do
        [[ -e "$src" ]] || continue
        name=$(basename "$src")
        rm -f "$GANETI_DASHBOARD_HORIZON_ENABLED/$name"
        rm -f "$GANETI_DASHBOARD_HORIZON_ENABLED/__pycache__/${name%.py}".*.pyc
    done
    for src in "$GANETI_DASHBOARD_PKG_DIR"/local_settings.d/_[0-9]*.py; do
        [[ -e "$src" ]] || continue
        name=$(basename "$src")
        rm -f "$GANETI_DASHBOARD_HORIZON_SETTINGS_D/$name"
    done
}

if is_service_enabled ganeti-dashboard; then

    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing ganeti-dashboard"
        install_ganeti_dashboard

    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring ganeti-dashboard"
        configure_ganeti_dashboard
        init_ganeti_dashboard

    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Registering the ganeti service and its limits"
        create_ganeti_dashboard_limits
        if is_service_enabled ganeti-console-proxy; then
            echo_summary "Starting ganeti-console-proxy"
            start_ganeti_dashboard_console
        fi
    fi

    if [[ "$1" == "unstack" ]]; then
        if is_service_enabled ganeti-console-proxy; then
            stop_ganeti_dashboard_console
        fi
        cleanup_ganeti_dashboard
    fi

    if [[ "$1" == "clean" ]]; then
        # clean.sh runs unstack.sh first; removing again is harmless.
        cleanup_ganeti_dashboard
    fi
fi

# Restore xtrace
$_XTRACE_GANETI_DASHBOARD

# Tell emacs to use shell-script-mode
## Local variables:
## mode: shell-script
## End:
