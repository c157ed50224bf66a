-- name: comparison table
-- title: Comparison table
-- description: The comparison table as a reader sees it: one row per attribute in table order, one column per figure. Across several documents, a figure a document does not compare is NULL. A row kept as written because versus could not split it for sure (see the query unresolved) is its whole text with NULL for every figure.
-- brief: The comparison table: a row per attribute, the figures side by side. Type a document's slug or title, or leave it empty for every document.
-- param: document (document, optional) Only this document, by slug or title
-- pivot: figures
SELECT a.document,
       a.attribute
       -- pivot column: max(CASE WHEN a.figure = $figure THEN a.value END)
FROM (
    SELECT d.id AS document_id, d.slug AS document, x.position, x.name AS attribute,
           f.name AS figure, x.value
    FROM documents AS d
    JOIN attributes AS x ON x.document_id = d.id
    JOIN figures AS f ON f.id = x.figure_id
    UNION ALL
    SELECT d.id, d.slug, u.position, u.text, NULL, NULL
    FROM documents AS d
    JOIN unresolved_rows AS u ON u.document_id = d.id
) AS a
WHERE a.document = :document  -- if :document
GROUP BY a.document_id, a.position
ORDER BY a.document_id, a.position;
