-- bedomning_3d (SPEC "Indicators"): contacts per unit and month of P-12..P, those
-- the patient chose to wait left out, an assessment before the contact rejected;
-- met: assessed by licensed staff on day 0..3.
-- {{data}}: the extract folder; {{p}}: year*12+month-1 of P.
WITH rows AS (
    SELECT enhet_id, kontaktdatum, bedomningsdatum,
           lower(coalesce(legitimerad, '')) IN ('j', 'ja', '1') AS licensed,
           lower(coalesce(patientvald_vantan, '')) IN ('j', 'ja', '1') AS chose,
           year(kontaktdatum) * 12 + month(kontaktdatum) - 1 AS m
    FROM read_csv('{{data}}/kontakter.csv', delim = ';', header = true, auto_detect = false,
                  columns = {'enhet_id': 'VARCHAR', 'kontaktdatum': 'DATE',
                             'bedomningsdatum': 'DATE', 'legitimerad': 'VARCHAR',
                             'patientvald_vantan': 'VARCHAR', 'kontakt_id': 'VARCHAR'})
),
counted AS (
    SELECT enhet_id, m,
           bedomningsdatum IS NOT NULL AND licensed
               AND bedomningsdatum - kontaktdatum <= 3 AS met
    FROM rows
    WHERE m BETWEEN {{p}} - 12 AND {{p}} AND NOT chose
      AND (bedomningsdatum IS NULL OR bedomningsdatum >= kontaktdatum)
)
SELECT 'bedomning_3d' AS indikator, coalesce(enhet_id, 'REGION') AS enhet_id, m,
       count(*) FILTER (WHERE met) AS taljare, count(*) AS namnare
FROM counted GROUP BY GROUPING SETS ((enhet_id, m), (m))
