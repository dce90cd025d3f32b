#!/bin/sh
# tests/disclosure.sh UPPFOLJ — issue 18: a reader attacks every published
# resultat file and workbook by differencing (tests/attack.py: region minus
# units, range minus months, group minus subgroup) and must recover no
# hidden figure, for the demo region and for a region of small units.  As
# a check that the attack can succeed, the demo's figures with the primary
# rule only (compute's unsuppressed rows, blanked where för litet underlag)
# do give figures back.  Prints TAP.
uf=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3

publish() { # NAME DIR: publishes 2024-08 and attacks what was published
    "$uf" run --config "$2/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err"
    pub=$2/rapporter/2024-08
    if "$py" "$top/tests/attack.py" "$pub/resultat-2024-08.csv" "$pub/uppfolj-2024-08.xlsx" \
        >"$work/attack" 2>&1; then
        ok "$1: no hidden figure recovered; the workbook hides the same cells ($(head -1 "$work/attack"))"
    else
        not_ok "$1: differencing recovers hidden figures" "$(head -20 "$work/attack")" "$(head -c 400 "$work/err")"
    fi
}

# The demo as scripts/demo publishes it.
demo=$work/demo
cp -r "$top/examples/demo" "$demo"
"$uf" generate --out "$demo/extrakt/2024-08" --period 2024-08 --seed 1 2>/dev/null
publish "demo" "$demo"
unzip -p "$demo/rapporter/2024-08/uppfolj-2024-08.xlsx" xl/sharedStrings.xml >"$work/strings"
contains "demo: Datakvalitet counts the secondary suppression" "$work/strings" \
    "värden dolda (sekundär röjandekontroll)"
"$uf" compute --config "$demo/uppfolj.json" --period 2024-08 2>/dev/null |
    awk -F';' -v OFS=';' 'NR > 1 && $8 == "for_litet_underlag" { $4 = ""; $6 = "" } { print }' \
        >"$work/primary.csv"
if "$py" "$top/tests/attack.py" "$work/primary.csv" >"$work/attack" 2>&1; then
    not_ok "demo, primary rule only: the attack recovers figures" "$(tail -1 "$work/attack")"
else
    ok "demo, primary rule only: the attack recovers figures ($(tail -1 "$work/attack"))"
fi

# subgroup_of says the subgroup's patients are among the group's, counted
# at the same unit: suppression relies on group = subgroup + rest.  A
# parametrised subgroup is its group's derivation with the same parameters
# and a subgroup; and the figures bear it out.
"$uf" compute --config "$demo/uppfolj.json" --period 2024-08 2>/dev/null >"$work/all.csv"
check "demo: every subgroup's n and numerator are within its group's, per unit and period" \
    "$py" - "$work/all.csv" <<'PY'
import csv, json, os, sys
d = os.environ["UPPFOLJ_INDICATORS"]
defs = {}
for name in (n for n in os.listdir(d) if n.endswith(".json")):
    j = json.load(open(os.path.join(d, name), encoding="utf-8"))
    defs[j["id"]] = j
group = {i: j["subgroup_of"] for i, j in defs.items() if j.get("subgroup_of")}
for i, g in group.items():
    s, t = defs[i], defs[g]
    assert s["source"] == t["source"], (i, g)
    if "parameters" in s:
        p = dict(s["parameters"])
        assert p.pop("subgroup", None) and p == t.get("parameters"), (i, g)
        assert s["derivation"] == t["derivation"], (i, g)
assert {"fast_lakarkontakt_sabo", "kontinuitet_coc_sabo", "kontinuitet_upc_sabo"} <= set(group)
rows = {(r["indikator"], r["enhet_id"], r["period"]): r
        for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter=";")}
seen = 0
for (ind, unit, period), r in rows.items():
    g = rows.get((group.get(ind), unit, period))
    if ind not in group or r["namnare"] == "":
        continue
    assert g and g["namnare"] != "", (ind, unit, period)
    for k in ("namnare", "taljare"):
        assert float(r[k]) <= float(g[k]) + 1e-6, (ind, unit, period, k, r[k], g[k])
    seen += 1
assert seen > 100, seen
PY

# Small units: many cells under the minimum n, säbo groups of a few.
small=$work/small
mkdir -p "$small"
make_region "$uf" "$small"
sed -i 's/"indicators": "indikatorer"/&, "completeness": "preliminary"/' "$small/uppfolj.json"
publish "small units" "$small"

finish
