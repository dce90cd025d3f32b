-- fast_lakarkontakt, fast_lakarkontakt_sabo and listade_per_fast_lakare from the
-- listing snapshot at the end of P (SPEC "Indicators").  A patient listed twice
-- counts once, by the first row; a flag is J/N, 1/0 or ja/nej in any case.
-- {{doctors}} (the JSON's parameter): 'antal' divides by the distinct fixed GPs
-- of the unit, 'heltid' by their full-time posts from lakare.csv (the grade
-- 0-1, decimal point or comma, an ST doctor's half of it; the first row of a
-- doctor at a unit; a fixed GP it lacks counts as one post): the national
-- variant.  {{data}}: the extract folder; {{p}}: year*12+month-1 of P.  Columns
-- by name.
WITH rows AS (
    SELECT patient_id, enhet_id, coalesce(fast_lakare, '') AS gp,
           lower(coalesce(sabo, '')) IN ('j', 'ja', '1') AS sabo,
           row_number() OVER () AS rn
    FROM read_csv('{{data}}/listning.csv', delim = ';', header = true, all_varchar = true)
),
first_rows AS (
    SELECT arg_min(enhet_id, rn) AS u, arg_min(gp, rn) AS gp, arg_min(sabo, rn) AS sabo
    FROM rows GROUP BY patient_id
),
posts AS (
    SELECT enhet_id AS u, vardgivare_id AS gp, arg_min(post, rn) AS post
    FROM (SELECT enhet_id, vardgivare_id, row_number() OVER () AS rn,
                 CAST(replace(tjanstgoringsgrad, ',', '.') AS DOUBLE)
                     * CASE WHEN lower(coalesce(st, '')) IN ('j', 'ja', '1') THEN 0.5 ELSE 1 END
                     AS post
          FROM read_csv('{{data}}/lakare.csv', delim = ';', header = true, all_varchar = true))
    GROUP BY ALL
),
-- each fixed GP once per unit, with what it counts for
gps AS (
    SELECT f.u, CASE WHEN {{doctors}} = 'heltid' THEN coalesce(any_value(p.post), 1) ELSE 1 END
               AS counts
    FROM (SELECT DISTINCT u, gp FROM first_rows WHERE gp <> '') f
    LEFT JOIN posts p ON p.u = f.u AND p.gp = f.gp GROUP BY f.u, f.gp
),
per_unit AS (
    SELECT u, count(*) AS listed, count(*) FILTER (WHERE gp <> '') AS fixed,
           count(*) FILTER (WHERE sabo) AS sabo_listed,
           count(*) FILTER (WHERE sabo AND gp <> '') AS sabo_fixed
    FROM first_rows GROUP BY GROUPING SETS ((u), ())
),
-- the region's denominator is the sum of the units'
per_gp AS (SELECT u, sum(counts) AS gps FROM gps GROUP BY GROUPING SETS ((u), ())),
named AS (
    SELECT coalesce(n.u, 'REGION') AS enhet_id, n.*, coalesce(g.gps, 0) AS gps
    FROM per_unit n LEFT JOIN per_gp g ON g.u IS NOT DISTINCT FROM n.u
)
SELECT 'fast_lakarkontakt' AS derivation, enhet_id, {{p}} AS m, fixed AS taljare,
       listed AS namnare FROM named
UNION ALL
SELECT 'fast_lakarkontakt_sabo', enhet_id, {{p}}, sabo_fixed, sabo_listed FROM named
UNION ALL
SELECT 'listade_per_fast_lakare', enhet_id, {{p}}, fixed, gps FROM named
