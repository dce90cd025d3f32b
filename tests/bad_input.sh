#!/bin/sh
# tests/bad_input.sh UPPFOLJ — every case in tests/golden/bad/<case>/ breaks
# a copy of a generated region (its `break` script runs in the region's
# folder), runs `uppfolj VERB` (file `verb`, default run) and checks the
# exit code (`exit`) and that stderr has each exact line in `message`.  A
# refused run must publish nothing and leave no staging folder.  Prints TAP.
set -u
uf=$1
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_region "$uf" "$work/region" || { echo "Bail out! generate failed"; exit 1; }

# every line of the message file is a whole line of stderr
every_line() {
    while IFS= read -r line || [ -n "$line" ]; do
        grep -qFx -- "$line" "$2" || return 1
    done <"$1"
}

for case in "$top"/tests/golden/bad/*/; do
    name=$(basename "$case")
    dir=$work/$name
    cp -r "$work/region" "$dir"
    (cd "$dir" && sh "$case/break")
    verb=run
    [ -f "$case/verb" ] && verb=$(cat "$case/verb")
    want=$(cat "$case/exit")
    "$uf" $verb --config "$dir/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/raw"
    got=$?
    # messages name the case's folder as REGION; log lines lose their time
    sed -e "s|$dir|REGION|g" -e 's/^[0-9-]* [0-9:]* //' "$work/raw" >"$work/err"
    if [ "$got" != "$want" ]; then
        not_ok "$name: exit $want" "exit $got" "$(head -c 600 "$work/err")"
    elif ! every_line "$case/message" "$work/err"; then
        not_ok "$name: the message" "want: $(cat "$case/message")" "got:" "$(head -c 1600 "$work/err")"
    elif [ "$want" != 0 ] && { [ -e "$dir/rapporter/2024-08" ] || ls -a "$dir/arkiv/arbete" 2>/dev/null | grep -q '\.new-'; }; then
        not_ok "$name: nothing published" "$(ls -a "$dir/rapporter")"
    else
        ok "$name"
    fi
    rm -rf "$dir"
done
finish
