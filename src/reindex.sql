-- Rebuilds search_items from the document tables, then the FTS index from
-- search_items (see migrations/V2__full_text_search.sql). Run by `versus
-- reindex` inside its transaction.
DELETE FROM search_items;
INSERT INTO search_items (kind, document_id, label, text)
SELECT 'summary', id, NULL, summary FROM documents;
INSERT INTO search_items (kind, document_id, section_id, label, text)
SELECT 'heading', document_id, id, heading, heading FROM sections;
INSERT INTO search_items (kind, document_id, section_id, paragraph_id, figure_id, label, text)
SELECT 'paragraph', s.document_id, s.id, p.id, p.figure_id, s.heading, p.text
FROM paragraphs AS p JOIN sections AS s ON s.id = p.section_id;
INSERT INTO search_items (kind, document_id, attribute_position, figure_id, label, text)
SELECT 'value', document_id, position, figure_id, name, value FROM attributes;
INSERT INTO search_index (search_index) VALUES ('rebuild');
