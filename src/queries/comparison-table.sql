-- name: comparison table
-- title: Comparison table
-- description: The comparison table as a reader sees it: one row per attribute in table order, one column per figure. Across several documents, a figure a document does not compare is NULL.
-- param: document (document, optional) Only this document, by slug or title
-- pivot: figures
SELECT d.slug AS document,
       a.name AS attribute
       -- pivot column: max(CASE WHEN f.name = $figure THEN a.value END)
FROM documents AS d
JOIN attributes AS a ON a.document_id = d.id
JOIN figures AS f ON f.id = a.figure_id
WHERE d.slug = :document  -- if :document
GROUP BY d.id, a.position
ORDER BY d.id, a.position;
