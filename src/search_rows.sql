-- The search rows of the documents an import wrote (their ids are in
-- temp.versus_touched), as the triggers of migration 2 would have made them
-- row by row. Run by store::Batch::finish inside the import.
INSERT INTO search_items (kind, document_id, label, text)
SELECT 'summary', d.id, NULL, d.summary
FROM temp.versus_touched AS t JOIN documents AS d ON d.id = t.id;
INSERT INTO search_items (kind, document_id, section_id, label, text)
SELECT 'heading', s.document_id, s.id, s.heading, s.heading
FROM temp.versus_touched AS t JOIN sections AS s ON s.document_id = t.id;
INSERT INTO search_items (kind, document_id, section_id, paragraph_id, figure_id, label, text)
SELECT 'paragraph', s.document_id, s.id, p.id, p.figure_id, s.heading, p.text
FROM temp.versus_touched AS t JOIN sections AS s ON s.document_id = t.id JOIN paragraphs AS p ON p.section_id = s.id;
INSERT INTO search_items (kind, document_id, attribute_position, figure_id, label, text)
SELECT 'value', a.document_id, a.position, a.figure_id, a.name, a.value
FROM temp.versus_touched AS t JOIN attributes AS a ON a.document_id = t.id;
