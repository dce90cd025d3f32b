-- kontinuitet_coc and kontinuitet_upc (SPEC "Indicators"): the Bice-Boxerman
-- index and the usual-provider share per patient over the doctor visits in the
-- 18 months ending with each trend month P-12..P; a window counts only when
-- besok.csv has rows in all 18 of its months.  A patient belongs to the unit
-- of the first listning.csv row naming them, else to the unit of most of
-- their doctor visits in the window (ties: the lowest enhet_id).
-- {{data}}: the extract folder; {{first}}: year*12+month-1 of P-29.
WITH rows AS (
    SELECT patient_id, vardgivare_id, enhet_id, lower(yrke) = 'läkare' AS doc,
           year(besoksdatum) * 12 + month(besoksdatum) - 1 - {{first}} AS o
    FROM read_csv('{{data}}/besok.csv', delim = ';', header = true, auto_detect = false,
                  columns = {'patient_id': 'VARCHAR', 'enhet_id': 'VARCHAR',
                             'vardgivare_id': 'VARCHAR', 'yrke': 'VARCHAR',
                             'besoksdatum': 'DATE', 'besokstyp': 'VARCHAR'})
),
-- doctor visits per patient, doctor, unit and month; every other row of a
-- month collapses into one group that only says the month is covered
g AS MATERIALIZED (
    SELECT CASE WHEN doc THEN patient_id END AS p, CASE WHEN doc THEN vardgivare_id END AS d,
           CASE WHEN doc THEN enhet_id END AS u, o, count(*) AS n
    FROM rows WHERE o BETWEEN 0 AND 29 GROUP BY ALL
),
win AS (
    SELECT c FROM range(13) t(c)
    WHERE (SELECT count(DISTINCT o) FROM g WHERE o BETWEEN c AND c + 17) = 18
),
per_doctor AS (
    SELECT p, d, c, sum(n) AS k
    FROM g, unnest(range(greatest(0, o - 17), least(12, o) + 1)) AS w(c)
    WHERE p IS NOT NULL AND c IN (SELECT c FROM win) GROUP BY p, d, c
),
per_patient AS (
    SELECT p, c, sum(k) AS nv, sum(k * k) AS s, max(k) AS m FROM per_doctor
    GROUP BY p, c HAVING sum(k) >= 2
),
listed AS MATERIALIZED (
    SELECT patient_id AS p, arg_min(enhet_id, rn) AS u
    FROM (SELECT patient_id, enhet_id, row_number() OVER () AS rn
          FROM read_csv('{{data}}/listning.csv', delim = ';', header = true,
                        auto_detect = false,
                        columns = {'patient_id': 'VARCHAR', 'enhet_id': 'VARCHAR',
                                   'fast_lakare': 'VARCHAR', 'sabo': 'VARCHAR'}))
    GROUP BY patient_id
),
-- the majority unit is only needed for patients not listed
per_unit AS (
    SELECT p, u, c, sum(n) AS k
    FROM (SELECT * FROM g WHERE p IS NOT NULL AND p NOT IN (SELECT p FROM listed)),
         unnest(range(greatest(0, o - 17), least(12, o) + 1)) AS w(c)
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
    SELECT coalesce(u, 'REGION') AS enhet_id, {{first}} + 17 + c AS m,
           sum(coc) AS coc, sum(upc) AS upc, count(*) AS n
    FROM judged GROUP BY GROUPING SETS ((u, c), (c))
)
SELECT 'kontinuitet_coc' AS indikator, enhet_id, m, coc AS taljare, n AS namnare FROM totals
UNION ALL
SELECT 'kontinuitet_upc', enhet_id, m, upc, n FROM totals
