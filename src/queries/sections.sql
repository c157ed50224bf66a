-- name: sections
-- title: Sections
-- description: The "Further Detail" sections of each document in order, with how many paragraphs each has.
-- brief: The "Further Detail" sections of each document, with how many paragraphs each has. Type a document's slug or title, or leave it empty for every document.
-- param: document (document, optional) Only this document, by slug or title
SELECT d.slug AS document,
       s.position AS section_no,
       s.heading AS section,
       (SELECT count(*) FROM paragraphs AS p WHERE p.section_id = s.id) AS paragraphs
FROM documents AS d
JOIN sections AS s ON s.document_id = d.id
WHERE d.slug = :document  -- if :document
ORDER BY d.id, s.position;
