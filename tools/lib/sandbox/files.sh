# shellcheck shell=bash
# Files and directories written only when they differ from what is wanted
# (sourced by tools/ganeti-sandbox).

# put_file PATH MODE OWNER[:GROUP] [inplace] < content
# Writes only when the content differs. "inplace" keeps
# the inode (needed for files bind-mounted into running namespaces).
put_file() {
  local path=$1 mode=$2 owner=$3 how=${4:-atomic} content cur
  IFS= read -r -d '' content || true          # all of stdin, builtin (no fork)
  if [[ -f "$path" ]]; then
    cur=""
    IFS= read -r -d '' cur <"$path" || true
    if [[ "$cur" == "$content" ]]; then
      if [[ "$(stat -c '%a %U:%G' "$path")" != "$mode $owner" ]]; then
        chmod "$mode" "$path"; chown "$owner" "$path"
      fi
      return 0
    fi
  fi
  mkdir -p "$(dirname "$path")"
  if [[ "$how" == inplace && -f "$path" ]]; then
    printf '%s' "$content" >"$path"
  else
    local tmp="$path.tmp.$$"
    printf '%s' "$content" >"$tmp"
    chmod "$mode" "$tmp"; chown "$owner" "$tmp"
    mv -f "$tmp" "$path"
  fi
  chmod "$mode" "$path"; chown "$owner" "$path"
}

# mkdir_as DIR OWNER MODE: create DIR with owner and mode if it is missing.
mkdir_as() {
  [[ -d "$1" ]] && return 0
  install -d -o "${2%%:*}" -g "${2##*:}" -m "$3" "$1"
}
