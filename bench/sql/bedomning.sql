-- bedomning_3d (SPEC "Indicators"): contacts per unit and month of P-12..P, those
-- the patient chose to wait left out, an assessment before the contact rejected;
-- met: assessed by licensed staff on day 0..3.  The parameters of the indicator's
-- JSON give the national definition (Väntetider i vården) by the same rules:
-- {{denominator}} 'kontakter' counts every contact, 'bedomda' only the completed
-- assessments (dated, by licensed staff); {{scope}} 'vardgaranti' keeps only the
-- contacts with vardgaranti = J (an empty one is outside), NULL every contact.
-- {{data}}: the extract folder; {{p}}: year*12+month-1 of P.  Columns by name.
WITH rows AS (
    SELECT enhet_id, CAST(kontaktdatum AS DATE) AS kontaktdatum,
           CAST(bedomningsdatum AS DATE) AS bedomningsdatum,
           lower(coalesce(legitimerad, '')) IN ('j', 'ja', '1') AS licensed,
           lower(coalesce(patientvald_vantan, '')) IN ('j', 'ja', '1') AS chose,
           {{scope}} IS NULL OR lower(coalesce(vardgaranti, '')) IN ('j', 'ja', '1') AS in_scope
    FROM read_csv('{{data}}/kontakter.csv', delim = ';', header = true, all_varchar = true)
),
counted AS (
    SELECT enhet_id, year(kontaktdatum) * 12 + month(kontaktdatum) - 1 AS m,
           bedomningsdatum IS NOT NULL AND licensed AS completed,
           completed AND bedomningsdatum - kontaktdatum <= 3 AS met
    FROM rows
    WHERE NOT chose AND in_scope
      AND (bedomningsdatum IS NULL OR bedomningsdatum >= kontaktdatum)
)
SELECT 'bedomning_3d' AS derivation, coalesce(enhet_id, 'REGION') AS enhet_id, m,
       count(*) FILTER (WHERE met) AS taljare, count(*) AS namnare
FROM counted
WHERE m BETWEEN {{p}} - 12 AND {{p}} AND ({{denominator}} = 'kontakter' OR completed)
GROUP BY GROUPING SETS ((enhet_id, m), (m))
