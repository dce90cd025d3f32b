#!/usr/bin/env python3
"""tests/attack.py RESULTAT.csv [XLSX] -- a reader who wants the
suppressed figures back (issue 18).  From the published resultat file it
solves every equation the report implies that has exactly one unknown
numerator, again and again with what it recovered (peeling):
  region = sum of the units (per indicator and period),
  year/tertial to date = sum of the months (per unit), or = month P for a
  snapshot indicator,
  group = subgroup + rest, where the rest's n (from the denominators) is
  below the minimum n, or 0.
A hidden figure recovered is a failure.  Given the workbook, it checks that
its indicator sheets mark as many cells "–" (för litet underlag) and "–d"
(dold) as the file has rows of each.  Prints one line per finding; exits 1
when any figure was recovered or the workbook hides other cells."""
import csv
import json
import os
import sys



def load(path):
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter=";"):
            key = (r["indikator"], r["enhet_id"], r["period"])
            rows[key] = r
    return rows


def definitions():
    """The indicators' definitions (UPPFOLJ_INDICATORS): id -> JSON."""
    d = os.environ.get("UPPFOLJ_INDICATORS")
    out = {}
    for name in os.listdir(d) if d else []:
        if name.endswith(".json"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                j = json.load(f)
            out[j["id"]] = j
    return out


DEFS = definitions()
# a snapshot indicator's ranges are its month P, not a sum of months
SNAPSHOT = {i for i, j in DEFS.items() if j.get("aggregation") == "senaste"}


def subgroups():
    return {i: (j["subgroup_of"], j.get("min_n", 20)) for i, j in DEFS.items()
            if j.get("subgroup_of")}


def attack(rows):
    known = {k: float(r["taljare"]) for k, r in rows.items() if r["taljare"] != ""}
    hidden = {k for k, r in rows.items() if r["taljare"] == ""}
    eqs = []  # (total key, [part keys]); a None part is a rest of unknown value
    inds = {k[0] for k in rows}
    units = sorted({k[1] for k in rows if k[1] != "REGION"})
    periods = {k[2] for k in rows}
    months = sorted(p for p in periods if "/" not in p)
    for ind in inds:
        for p in periods:
            if (ind, "REGION", p) in rows:
                eqs.append(((ind, "REGION", p), [(ind, u, p) for u in units if (ind, u, p) in rows]))
        for u in units + ["REGION"]:
            for p in periods:
                if "/" not in p or (ind, u, p) not in rows:
                    continue
                first, last = p.split("/")
                parts = [m for m in months if first <= m <= last]
                if ind in SNAPSHOT:
                    parts = [last]
                eqs.append(((ind, u, p), [(ind, u, m) for m in parts if (ind, u, m) in rows]))
    for sub, (group, min_n) in subgroups().items():
        for (ind, u, p), r in rows.items():
            g = (group, u, p)
            if ind != sub or g not in rows:
                continue
            rest_n = float(rows[g]["namnare"]) - float(r["namnare"])
            if rest_n == 0:
                eqs.append((g, [(ind, u, p)]))
            elif rest_n < min_n:  # the rest is a small figure itself
                eqs.append((("rest", sub, u, p), [g, ("neg", ind, u, p)]))
    recovered = {}
    changed = True
    while changed:
        changed = False
        for total, parts in eqs:
            def val(k):
                if k[0] == "neg":
                    k2 = k[1:]
                    return -known[k2] if k2 in known else None
                return known.get(k)
            unknown = [k for k in [total] + parts if val(k) is None]
            if len(unknown) != 1:
                continue
            k = unknown[0]
            if k[0] == "rest":
                continue  # a rest is never shown; recovering it is the point below
            s = sum(val(x) for x in parts if x != k)
            v = s if k == total else val(total) - s
            if k[0] == "neg":
                k, v = k[1:], -v
            if k in hidden and k not in recovered:
                recovered[k] = v
            known[k] = v
            changed = True
    # a rest below the minimum n that follows from two shown figures
    for total, parts in eqs:
        if total[0] == "rest" and all((p[1:] if p[0] == "neg" else p) in known for p in parts):
            recovered[total] = None
    return hidden, recovered


def workbook(path):
    """The marks of the indicator sheets: how many "–" and "–d"."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    fixed = {"Sammanfattning", "Åtgärder", "Datakvalitet", "Definitioner", "Ändringar",
             "Om rapporten"}
    small = hidden = 0
    for ws in wb.worksheets:
        if ws.title in fixed:
            continue
        for row in ws.iter_rows(values_only=True):
            small += sum(1 for v in row if v == "\u2013")
            hidden += sum(1 for v in row if v == "\u2013d")
    return small, hidden


def main():
    rows = load(sys.argv[1])
    hidden, recovered = attack(rows)
    for k, v in sorted(recovered.items(), key=str):
        print("recovered %s = %s" % ("/".join(map(str, k)), v))
    n_sec = sum(1 for r in rows.values() if r["status"] == "dold")
    n_pri = sum(1 for r in rows.values() if r["status"] == "for_litet_underlag")
    print("hidden %d (primary %d, secondary %d), recovered %d" % (len(hidden), n_pri, n_sec,
                                                                  len(recovered)))
    bad = bool(recovered)
    if len(sys.argv) > 2:
        marks = workbook(sys.argv[2])
        print("workbook marks: %d för litet underlag, %d dolda" % marks)
        bad |= marks != (n_pri, n_sec)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
