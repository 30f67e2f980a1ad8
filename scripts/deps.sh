# Sourced by the scripts that need Debian packages: install_missing PKG...
# installs, with apt-get (through sudo when not root), the packages given
# that are missing; it says so on stderr and returns 1 when it cannot.
install_missing() {
    [ $# -gt 0 ] || return 0
    command -v apt-get >/dev/null 2>&1 || return 1
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing $*" >&2
    (export DEBIAN_FRONTEND=noninteractive
     $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@") >/dev/null 2>&1
}
