-- fast_lakarkontakt, fast_lakarkontakt_sabo and listade_per_fast_lakare from the
-- listing snapshot at the end of P (SPEC "Indicators").  A patient listed twice
-- counts once, by the first row; a flag is J/N, 1/0 or ja/nej in any case.
-- {{data}}: the extract folder; {{p}}: year*12+month-1 of P.
WITH rows AS (
    SELECT patient_id, enhet_id, coalesce(fast_lakare, '') AS gp,
           lower(coalesce(sabo, '')) IN ('j', 'ja', '1') AS sabo,
           row_number() OVER () AS rn
    FROM read_csv('{{data}}/listning.csv', delim = ';', header = true, auto_detect = false,
                  columns = {'patient_id': 'VARCHAR', 'enhet_id': 'VARCHAR',
                             'fast_lakare': 'VARCHAR', 'sabo': 'VARCHAR'})
),
first_rows AS (
    SELECT arg_min(enhet_id, rn) AS u, arg_min(gp, rn) AS gp, arg_min(sabo, rn) AS sabo
    FROM rows GROUP BY patient_id
),
per_unit AS (
    SELECT u, count(*) AS listed, count(*) FILTER (WHERE gp <> '') AS fixed,
           count(*) FILTER (WHERE sabo) AS sabo_listed,
           count(*) FILTER (WHERE sabo AND gp <> '') AS sabo_fixed,
           count(DISTINCT gp) FILTER (WHERE gp <> '') AS gps
    FROM first_rows GROUP BY GROUPING SETS ((u), ())
),
named AS (SELECT coalesce(u, 'REGION') AS enhet_id, * FROM per_unit)
SELECT 'fast_lakarkontakt' AS indikator, enhet_id, {{p}} AS m, fixed AS taljare,
       listed AS namnare FROM named
UNION ALL
SELECT 'fast_lakarkontakt_sabo', enhet_id, {{p}}, sabo_fixed, sabo_listed FROM named
UNION ALL
-- the region's denominator is the sum of the units' distinct GPs, as in uppfolj
SELECT 'listade_per_fast_lakare', enhet_id, {{p}}, fixed,
       CASE WHEN enhet_id = 'REGION' THEN (SELECT sum(gps) FROM named WHERE enhet_id <> 'REGION')
            ELSE gps END
FROM named
