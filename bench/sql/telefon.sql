-- telefon_samma_dag (SPEC "Indicators"): calls within opening hours per unit and
-- month of P-12..P, a call answered before it was made rejected (compared to the
-- minute); met: answered on the same local date.
-- {{data}}: the extract folder; {{p}}: year*12+month-1 of P.  Columns by name.
WITH rows AS (
    SELECT enhet_id, CAST(left(samtal_tid, 10) AS DATE) AS day,
           CAST(substr(samtal_tid, 12, 2) AS INT) * 60 + CAST(substr(samtal_tid, 15, 2) AS INT)
               AS minute,
           CAST(left(besvarad_tid, 10) AS DATE) AS aday,
           CAST(substr(besvarad_tid, 12, 2) AS INT) * 60
               + CAST(substr(besvarad_tid, 15, 2) AS INT) AS aminute,
           lower(coalesce(inom_oppettid, '')) IN ('j', 'ja', '1') AS open
    FROM read_csv('{{data}}/samtal.csv', delim = ';', header = true, all_varchar = true)
),
counted AS (
    SELECT enhet_id, year(day) * 12 + month(day) - 1 AS m, aday = day AS met
    FROM rows
    WHERE open AND year(day) * 12 + month(day) - 1 BETWEEN {{p}} - 12 AND {{p}}
      AND (aday IS NULL OR aday > day OR (aday = day AND aminute >= minute))
)
SELECT 'telefon_samma_dag' AS indikator, coalesce(enhet_id, 'REGION') AS enhet_id, m,
       count(*) FILTER (WHERE coalesce(met, false)) AS taljare, count(*) AS namnare
FROM counted GROUP BY GROUPING SETS ((enhet_id, m), (m))
