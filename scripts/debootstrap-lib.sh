# shellcheck shell=bash
# Sourced by scripts/build-images.sh, scripts/debian13-root.sh and scripts/ee.sh: the one way
# this project makes a Debian root. Needs ROOT (the checkout) set by the caller.

# The Debian mirror this machine's apt uses (deb822 or one-line format).
default_mirror() {
    local uri
    uri=$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources \
        | awk '{print $2}' | grep -E '/debian/?$' | head -n 1 || true)
    [ -n "$uri" ] || uri=$(grep -hsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        | awk '{print $2}' | grep -E '/debian/?$' | head -n 1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

# debootstrap_root SUITE DIR INCLUDE LOG: a minbase root of SUITE with INCLUDE in DIR, from
# MIRROR (default: default_mirror). Downloaded .debs are kept in .cache/debootstrap-debs for
# the next root. On failure: the log's tail on stderr, no mount left inside DIR, status 1.
debootstrap_root() {
    local suite=$1 dir=$2 include=$3 logfile=$4
    mkdir -p "$ROOT/.cache/debootstrap-debs"
    if ! debootstrap --variant=minbase --cache-dir="$ROOT/.cache/debootstrap-debs" --include="$include" \
        "$suite" "$dir" "${MIRROR:-$(default_mirror)}" >"$logfile" 2>&1; then
        tail -n 20 "$logfile" >&2
        findmnt -rno TARGET | grep -F "$dir/" | sort -r | xargs -r -n1 umount -l || true
        return 1
    fi
}
