# shellcheck shell=bash
# DevStack's functions as the ganeti-dashboard plugin uses them, stubbed for
# tests/integration/test_devstack_plugin.py: each call is recorded, one line
# in $CALLS (the name and its arguments, shell-quoted), and the ini
# functions really edit the file, so a test can read what each phase
# leaves behind.
#
#   bash devstack_stubs.sh PHASE [SUBPHASE]
#
# sources devstack/settings and devstack/plugin.sh of $GANETI_DASHBOARD_DIR as
# DevStack does (settings first, then the plugin with the phase).
# $ENABLED_SERVICES: the services enabled before the plugin's settings
# (comma-separated, as in DevStack); $DISABLED: disabled in local.conf.
set -e

: "${CALLS:?}" "${GANETI_DASHBOARD_DIR:?}" "${HORIZON_DIR:?}"

_record() { printf '%q ' "$@" >> "$CALLS"; echo >> "$CALLS"; }

die() { shift; echo "die: $*" >&2; exit 1; }
echo_summary() { echo "summary: $*"; }
enable_service() { ENABLED_SERVICES="$ENABLED_SERVICES,$1"; }
is_service_enabled() {
    local service
    for service in "$@"; do
        [[ ",${DISABLED:-}," == *",$service,"* ]] && continue
        [[ ",$ENABLED_SERVICES," == *",$service,"* ]] && return 0
    done
    return 1
}
# Every sudo of the plugin is one a root or a stack user may run as is.
sudo() { "$@"; }
setup_develop() { _record setup_develop "$@"; }
install_package() { _record install_package "$@"; }
get_python_exec_prefix() { echo "$STUB_BIN_DIR"; }
run_process() { _record run_process "$@"; }
stop_process() { _record stop_process "$@"; }
get_or_create_service() { _record get_or_create_service "$@"; }
get_or_create_endpoint() { _record get_or_create_endpoint "$@"; }
openstack() { _record openstack "$@"; }

# iniset [-sudo] FILE SECTION OPTION VALUE and iniget FILE SECTION OPTION,
# as DevStack's (inc/ini-config): a line replaced in place, or added at the
# end of its section, which is added if missing; comments are kept.
_ini() {
    "$PYTHON" - "$@" <<'EOF'
import sys

mode, path, section, option = sys.argv[1:5]
try:
    with open(path) as f:
        lines = f.read().splitlines()
except FileNotFoundError:
    lines = []
start = end = None
for i, line in enumerate(lines):
    if line.strip().startswith("["):
        if start is not None and end is None:
            end = i
        if line.strip() == "[%s]" % section:
            start = i
if start is not None and end is None:
    end = len(lines)
found = None
if start is not None:
    for i in range(start + 1, end):
        key = lines[i].split("=", 1)[0].strip()
        if "=" in lines[i] and key == option:
            found = i
if mode == "get":
    if found is not None:
        print(lines[found].split("=", 1)[1].strip())
    sys.exit(0)
new = "%s = %s" % (option, sys.argv[5])
if found is not None:
    lines[found] = new
elif start is not None:
    lines.insert(end, new)
else:
    lines += ["", "[%s]" % section, new]
with open(path, "w") as f:
    f.write("\n".join(lines) + "\n")
EOF
}
iniset() {
    [[ "$1" == "-sudo" ]] && shift
    _record iniset "$@"
    _ini set "$@"
}
iniget() { _ini get "$@"; }

# shellcheck source=devstack/settings
source "$GANETI_DASHBOARD_DIR/devstack/settings"
# shellcheck source=devstack/plugin.sh
source "$GANETI_DASHBOARD_DIR/devstack/plugin.sh" "$@"
