-- The search rows of the documents whose ids are in temp.versus_touched, as
-- the search triggers would have made them row by row: the columns of
-- search_items after its id, summaries first, then headings, paragraphs
-- and table values. The one definition of what search_items must hold:
-- store::Batch::finish inserts these rows for the documents an import
-- wrote, store::rebuild_search for every document, and `versus check`
-- compares search_items with them.
-- CROSS JOIN keeps temp.versus_touched the outer loop, so that the rows
-- are found through the documents' indexes: left to choose, SQLite scanned
-- every section, paragraph and table value of the database and looked each
-- up in versus_touched, which made an import's cost grow with the database
-- (0.9 s of an import of 10,000 documents into 110,000).
SELECT 'summary' AS kind, d.id AS document_id, NULL AS section_id, NULL AS paragraph_id,
       NULL AS attribute_position, NULL AS figure_id, NULL AS label, d.summary AS text
FROM temp.versus_touched AS t CROSS JOIN documents AS d ON d.id = t.id
UNION ALL
SELECT 'heading', s.document_id, s.id, NULL, NULL, NULL, s.heading, s.heading
FROM temp.versus_touched AS t CROSS JOIN sections AS s ON s.document_id = t.id
UNION ALL
SELECT 'paragraph', s.document_id, s.id, p.id, NULL, p.figure_id, s.heading, p.text
FROM temp.versus_touched AS t CROSS JOIN sections AS s ON s.document_id = t.id
     CROSS JOIN paragraphs AS p ON p.section_id = s.id
UNION ALL
SELECT 'value', a.document_id, NULL, NULL, a.position, a.figure_id, a.name, a.value
FROM temp.versus_touched AS t CROSS JOIN attributes AS a ON a.document_id = t.id
