-- name: documents
-- title: Documents
-- description: Every document: slug, title, how many attributes and sections it has, where it came from and when it was imported.
SELECT d.slug AS document,
       d.title,
       (SELECT count(DISTINCT a.position) FROM attributes AS a WHERE a.document_id = d.id) AS attributes,
       (SELECT count(*) FROM sections AS s WHERE s.document_id = d.id) AS sections,
       d.source,
       d.imported_at
FROM documents AS d
ORDER BY d.id;
