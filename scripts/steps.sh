# scripts/steps.sh — sourced by scripts/demo, test and package.  Every step
# that fails says which it was and shows what it printed, so that a new
# machine's first try never stops without a word.
steps_log=$(mktemp)
trap 'rm -f "$steps_log"' EXIT

# quietly WHAT CMD...: runs CMD with its output kept back unless it fails.
quietly() {
    what=$1
    shift
    if ! "$@" >"$steps_log" 2>&1; then
        tail -n 60 "$steps_log" >&2
        echo "scripts/${0##*/}: $what failed: $*" >&2
        exit 1
    fi
}

# loudly WHAT CMD...: runs CMD in full view; says what failed if it does.
loudly() {
    what=$1
    shift
    "$@" || { echo "scripts/${0##*/}: $what failed: $*" >&2; exit 1; }
}

# setup DIR OPTIONS...: DIR configured by meson with OPTIONS.  A folder an
# earlier try left half-made, or that no longer configures, is made anew.
setup() {
    dir=$1
    shift
    if [ -f "$dir/meson-private/coredata.dat" ] &&
        meson setup --reconfigure "$dir" "$@" >"$steps_log" 2>&1; then
        return 0
    fi
    rm -rf "$dir"
    quietly "configuring $dir (meson setup)" meson setup "$dir" "$@"
}
