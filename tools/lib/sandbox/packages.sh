# shellcheck shell=bash
# The Debian packages every cluster needs (sourced by tools/ganeti-sandbox);
# apt_install is common.sh's. The kvm packages are in kvm.sh.

have() { PATH="$SAFE_PATH" command -v "$1" >/dev/null 2>&1; }

ensure_packages() {
  local pkgs=()
  if ! pkg_installed ganeti || [[ ! -x $DAEMON_UTIL ]]; then pkgs+=(ganeti); fi
  have socat     || pkgs+=(socat)
  have openssl   || pkgs+=(openssl)
  have ip        || pkgs+=(iproute2)
  have fping     || pkgs+=(fping)
  have arping    || pkgs+=(iputils-arping)  # what ganeti-3.0 depends on; "arping" conflicts
  have curl      || pkgs+=(curl ca-certificates)
  have ssh-keygen || pkgs+=(openssh-client)
  have flock     || pkgs+=(util-linux)
  have patch     || pkgs+=(patch)     # the impexpd fix (peers.sh)
  if [[ -n "$C_ROOT" ]]; then
    [[ -x $SSHD ]] || pkgs+=(openssh-server)
    have ssh       || pkgs+=(openssh-client)
  fi
  [[ ${#pkgs[@]} -eq 0 ]] && return 0
  apt_install "${pkgs[@]}"
  pkg_installed ganeti || die "ganeti is still not installed"
}
