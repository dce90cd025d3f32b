-- kontinuitet_coc and kontinuitet_upc (SPEC "Indicators"): the Bice-Boxerman
-- index and the usual-provider share per patient over the counted visits in the
-- {{window_months}} months ending with each trend month P-12..P; a window counts
-- only when besok.csv has rows (of any yrke) in every one of its months.  Each
-- vardgivare_id is one caregiver, whatever the yrke.  A patient belongs to the
-- unit of the first listning.csv row naming them, else to the unit of most of
-- their counted visits in the window (ties: the lowest enhet_id).
-- The indicator JSON's parameters: {{professions}} the yrke counted (a list,
-- matched in any case; NULL: every yrke, "alla"), {{subgroup}} 'sabo' for only
-- the patients whose listing row says sabo = J (at the unit of listing) or NULL,
-- {{min_visits}} the visits a patient needs in the window.
-- {{data}}: the extract folder; {{p}}: year*12+month-1 of P.  Columns by name.
WITH rows AS (
    SELECT patient_id, vardgivare_id, enhet_id,
           {{professions}} IS NULL
               OR list_contains(list_transform({{professions}}, y -> lower(y)), lower(yrke))
               AS counted,
           year(CAST(besoksdatum AS DATE)) * 12 + month(CAST(besoksdatum AS DATE)) - 1
               - ({{p}} - 12 - {{window_months}} + 1) AS o
    FROM read_csv('{{data}}/besok.csv', delim = ';', header = true, all_varchar = true)
),
-- counted visits per patient, caregiver, unit and month (o: 0 is the first
-- month of the first window); every other row of a month collapses into one
-- group that only says the month is covered
g AS MATERIALIZED (
    SELECT CASE WHEN counted THEN patient_id END AS p,
           CASE WHEN counted THEN vardgivare_id END AS d,
           CASE WHEN counted THEN enhet_id END AS u, o, count(*) AS n
    FROM rows WHERE o BETWEEN 0 AND 12 + {{window_months}} - 1 GROUP BY ALL
),
listed AS MATERIALIZED (
    SELECT patient_id AS p, arg_min(enhet_id, rn) AS u,
           arg_min(lower(coalesce(sabo, '')) IN ('j', 'ja', '1'), rn) AS sabo
    FROM (SELECT patient_id, enhet_id, sabo, row_number() OVER () AS rn
          FROM read_csv('{{data}}/listning.csv', delim = ';', header = true,
                        all_varchar = true))
    GROUP BY patient_id
),
-- c: the trend column, 0 for P-12; its window is months c .. c + window - 1
win AS (
    SELECT c FROM range(13) t(c)
    WHERE (SELECT count(DISTINCT o) FROM g
           WHERE o BETWEEN c AND c + {{window_months}} - 1) = {{window_months}}
),
per_doctor AS (
    SELECT p, d, c, sum(n) AS k
    FROM g, unnest(range(greatest(0, o - {{window_months}} + 1), least(12, o) + 1)) AS w(c)
    WHERE p IS NOT NULL AND c IN (SELECT c FROM win)
      -- a subgroup is of listed patients (an unlisted patient is in none)
      AND ({{subgroup}} IS NULL
           OR p IN (SELECT p FROM listed WHERE {{subgroup}} = 'sabo' AND sabo))
    GROUP BY p, d, c
),
per_patient AS (
    SELECT p, c, sum(k) AS nv, sum(k * k) AS s, max(k) AS m FROM per_doctor
    GROUP BY p, c HAVING sum(k) >= {{min_visits}}
),
-- the majority unit is only needed for patients not listed, so never in a subgroup
per_unit AS (
    SELECT p, u, c, sum(n) AS k
    FROM (SELECT * FROM g WHERE {{subgroup}} IS NULL AND p IS NOT NULL
                            AND p NOT IN (SELECT p FROM listed)),
         unnest(range(greatest(0, o - {{window_months}} + 1), least(12, o) + 1)) AS w(c)
    WHERE c IN (SELECT c FROM win) GROUP BY p, u, c
),
majority AS (SELECT p, c, arg_min(u, (-k, u)) AS u FROM per_unit GROUP BY p, c),
judged AS (
    SELECT coalesce(l.u, j.u) AS u, pp.c,
           (pp.s - pp.nv) / (pp.nv * (pp.nv - 1)) AS coc, pp.m / pp.nv AS upc
    FROM per_patient pp LEFT JOIN listed l ON l.p = pp.p
    LEFT JOIN majority j ON j.p = pp.p AND j.c = pp.c
),
totals AS (
    SELECT coalesce(u, 'REGION') AS enhet_id, {{p}} - 12 + c AS m,
           sum(coc) AS coc, sum(upc) AS upc, count(*) AS n
    FROM judged GROUP BY GROUPING SETS ((u, c), (c))
)
SELECT 'kontinuitet_coc' AS derivation, enhet_id, m, coc AS taljare, n AS namnare FROM totals
UNION ALL
SELECT 'kontinuitet_upc', enhet_id, m, upc, n FROM totals
