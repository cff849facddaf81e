# Installs what building and testing need when it is missing: libzmq with its
# headers and pkg-config; for the scenario tests also Debian's pyzmq (the
# Python peers) and iproute2 (loopback in private network namespaces).
# Sourced by scripts/run and scripts/test.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: need root or sudo to install: $*" >&2; return 1; fi
}

apt_install() {
    echo "installing $* with apt-get" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_libzmq() {
    if pkg-config --exists libzmq 2>/dev/null; then return 0; fi
    if command -v apt-get >/dev/null; then
        apt_install libzmq3-dev pkg-config
    elif command -v brew >/dev/null; then
        brew install zeromq pkg-config
    else
        echo "error: libzmq not found and neither apt-get nor brew is available; install libzmq and pkg-config" >&2
        return 1
    fi
    pkg-config --exists libzmq || { echo "error: libzmq still not found by pkg-config" >&2; return 1; }
}

# Homebrew's headers and libraries are not in the compiler's default paths.
point_at_homebrew() {
    if [ "$(uname)" = Darwin ] && command -v brew >/dev/null; then
        local prefix
        prefix=$(brew --prefix zeromq)
        export CPATH="$prefix/include${CPATH:+:$CPATH}"
        export LIBRARY_PATH="$prefix/lib${LIBRARY_PATH:+:$LIBRARY_PATH}"
    fi
}

ensure_test_tools() {
    [ "$(uname)" = Linux ] || return 0
    local missing=()
    if ! /usr/bin/python3 -c 'import zmq' 2>/dev/null; then missing+=(python3-zmq); fi
    if ! command -v ip >/dev/null; then missing+=(iproute2); fi
    if ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null; then missing+=(util-linux); fi
    # The Mongrel2 scenario plays against the real web server
    if ! command -v mongrel2 >/dev/null || ! command -v m2sh >/dev/null; then missing+=(mongrel2-core); fi
    if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then apt_install "${missing[@]}"; fi
}
