-- name: summary
-- title: Summary
-- description: Each document's title and its "What's the Difference?" summary.
-- brief: Each document's title and its "What's the Difference?" summary. Type a document's slug or title, or leave it empty for every document.
-- param: document (document, optional) Only this document, by slug or title
SELECT d.slug AS document, d.title, d.summary
FROM documents AS d
WHERE d.slug = :document  -- if :document
ORDER BY d.id;
