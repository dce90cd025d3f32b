#!/bin/sh
# tests/kill_walk.sh UPPFOLJ KILLSHIM — SIGKILL at every step of publishing.
#
# A first run of a period, and a third one (a current edition with one in
# tidigare/ already), are each killed just before their Nth change to the
# file system (tests/killshim.c), for every N until the run gets through.
# After each kill the next run must publish, and then: every edition ever
# published is there, whole (`uppfolj verify` passes on the current one and
# on each in tidigare/), the killed run's edition is there exactly when it
# was killed after its swap, no staging folder and no temporary file is
# left, every archive object hashes to its name, and the archive's record
# lists the editions in the order they were published.  Prints TAP.
set -u
# Runs pass --force: they publish the same inputs again, which alone would
# publish no new edition (SPEC "Editions and approval").
uf=$1
shim=$2
. "$(dirname "$0")/region.sh"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
make_region "$uf" "$root/clean" || { echo "Bail out! generate failed"; exit 1; }
T1=1725606900 T2=1725693300 T3=1725779700 T4=1725866100

run() { # EPOCH [shim settings...]: a run of 2024-08 in $work/r
    when=$1
    shift
    env SOURCE_DATE_EPOCH="$when" "$@" "$uf" run --force --quiet --config "$work/r/uppfolj.json" \
        --period 2024-08 >"$work/out" 2>"$work/err"
}
shimmed() { # N EPOCH: the run killed just before its Nth change under $work/r
    run "$2" LD_PRELOAD="$shim" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        UF_SHIM_UNDER="$work/r/" UF_SHIM_AT="$1" UF_SHIM_LOG="$work/steps"
}
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# every_edition_verifies WANT...: the run times of the editions found, in
# the order the archive's record lists them, are WANT; all verify.
every_edition_verifies() {
    pub=$work/r/rapporter/2024-08
    if ls -a "$work/r/arkiv/arbete" | grep -q '\.new-'; then
        echo "staging folder left: $(ls -a "$work/r/arkiv/arbete" | grep '\.new-')"
        return 1
    fi
    if [ -n "$(ls -A "$work/r/arkiv/tmp" 2>/dev/null)" ]; then
        echo "temporary files left: $(ls -A "$work/r/arkiv/tmp")"
        return 1
    fi
    # verify of the period's folder checks every edition in it
    "$uf" verify "$pub" >"$work/verify" 2>&1 || { echo "verify $pub:"; cat "$work/verify"; return 1; }
    python3 - "$pub" "$work/r/arkiv/utgavor/2024-08.jsonl" "$@" <<'PY'
import glob, hashlib, json, os, sys
pub, record, *want = sys.argv[1:]
found = [json.load(open(f"{d}/manifest.json"))["run_time"]
         for d in [pub] + sorted(glob.glob(f"{pub}/tidigare/*"))]
arkiv = os.path.dirname(os.path.dirname(record))
for sub in glob.glob(f"{arkiv}/??"):
    for obj in glob.glob(f"{sub}/*"):
        named = os.path.basename(sub) + os.path.basename(obj)
        got = hashlib.sha256(open(obj, "rb").read()).hexdigest()
        assert got == named, f"object {obj} is not whole"
assert sorted(found) == sorted(want), f"editions {found}, want {want}"
listed = [json.loads(l)["run_time"] for l in open(record) if l.endswith("\n")]
assert listed == want, f"record lists {listed}, want {want}"
current = json.load(open(f"{pub}/manifest.json"))["run_time"]
assert current == want[-1], f"current {current}, want {want[-1]}"
PY
}

# walk NAME EDITIONS...: the state after EDITIONS runs is $work/base; the
# run after them is killed at each step in turn.
walk() {
    name=$1
    shift
    rm -rf "$work/base" && cp -a "$work/clean" "$work/base"
    before=""
    for t in "$@"; do
        rm -rf "$work/r" && cp -a "$work/base" "$work/r"
        run "$t" || { not_ok "$name: setting up"; return; }
        rm -rf "$work/base" && cp -a "$work/r" "$work/base"
        before="$before $(iso "$t")"
    done
    # The steps of an unkilled run, and which of them is the swap.
    rm -rf "$work/r" "$work/steps" && cp -a "$work/base" "$work/r"
    shimmed 0 "$T3" || { not_ok "$name: a run under the shim publishes" "$(cat "$work/err")"; return; }
    total=$(wc -l <"$work/steps")
    swap=$(grep -n -E '^[0-9]+ (exchange|rename) .*/2024-08\.new-[^/ ]* .*/rapporter/2024-08$' \
        "$work/steps" | head -n 1 | cut -d: -f1)
    if [ -n "$swap" ] && [ "$total" -gt 5 ]; then
        ok "$name: $total steps, the swap is step $swap"
    else
        not_ok "$name: the steps are seen" "$(cat "$work/steps")"
        return
    fi
    at=1
    cp "$work/steps" "$work/all-steps"
    while [ "$at" -le "$total" ]; do
        step=$(sed -n "${at}p" "$work/all-steps" | cut -d' ' -f2- | sed "s|$work/r/||g")
        # A mkdir of a folder made at an earlier step changes nothing: killing
        # before it is killing after the step before, already walked.
        case $step in mkdir\ *)
            if head -n $((at - 1)) "$work/all-steps" | cut -d' ' -f2- | sed "s|$work/r/||g" |
                grep -qxF "$step"; then
                at=$((at + 1))
                continue
            fi
        esac
        # UF_KILL_STRIDE=K (the sanitizer build): every Kth step and those
        # around the swap; the plain build walks every one.
        if [ $((at % ${UF_KILL_STRIDE:-1})) != 0 ] && [ $((at - swap)) -lt -1 -o $((at - swap)) -gt 1 ]; then
            at=$((at + 1))
            continue
        fi
        rm -rf "$work/r" "$work/steps" && cp -a "$work/base" "$work/r"
        shimmed "$at" "$T3"
        rc=$?
        if [ "$rc" != 137 ]; then
            not_ok "$name: killed before step $at ($step)" "exit $rc" "$(cat "$work/err")"
            at=$((at + 1))
            continue
        fi
        if ! run "$T4"; then
            not_ok "$name: after a kill before step $at ($step), the next run publishes" \
                "$(cat "$work/err")"
        else
            if [ "$at" -gt "$swap" ]; then want="$before $(iso "$T3") $(iso "$T4")"
            else want="$before $(iso "$T4")"; fi
            # shellcheck disable=SC2086
            msg=$(every_edition_verifies $want 2>&1)
            if [ $? = 0 ]; then
                ok "$name: killed before step $at ($step): no edition lost, all verify"
            else
                not_ok "$name: killed before step $at ($step): no edition lost, all verify" "$msg"
            fi
        fi
        at=$((at + 1))
    done
}

# The two walks, the suite's longest test, run side by side, each in a
# folder of its own ($work is the walk's); their TAP is numbered afresh in
# order once both are done.
for w in 1 2; do
    mkdir "$root/w$w" && cp -a "$root/clean" "$root/w$w/clean"
done
(work=$root/w1 && walk "first edition") >"$root/w1.tap" 2>&1 &
(work=$root/w2 && walk "third edition" "$T1" "$T2") >"$root/w2.tap" 2>&1 &
wait
awk '/^(not )?ok [0-9]+ - / { sub(/ok [0-9]+ - /, "ok " ++n " - "); bad += /^not / }
     { print } END { print "1.." n; exit bad > 0 || n == 0 }' "$root/w1.tap" "$root/w2.tap"
