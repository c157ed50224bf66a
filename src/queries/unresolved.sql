-- name: unresolved
-- title: Table rows that need a decision
-- description: The comparison-table rows an import kept as written because no way to split them was clearly the best: the document, the row's line in the text it came from (NULL for JSON), its place in the table, the row as written and up to three readings, best first, each the cells separated by " | ". `versus resolve` settles them.
-- brief: The comparison-table rows an import kept as written, each with up to three readings, best first (versus resolve settles them). Type a document's slug or title, or leave it empty for every document.
-- param: document (document, optional) Only this document, by slug or title
WITH rows AS (
    SELECT u.document_id, u.position, u.line, u.text, u.readings || char(10) AS rest0
    FROM unresolved_rows AS u
), one AS (
    SELECT *, substr(rest0, 1, instr(rest0, char(10)) - 1) AS reading_1,
           substr(rest0, instr(rest0, char(10)) + 1) AS rest1
    FROM rows
), two AS (
    SELECT *, substr(rest1, 1, instr(rest1, char(10)) - 1) AS reading_2,
           substr(rest1, instr(rest1, char(10)) + 1) AS rest2
    FROM one
)
SELECT d.slug AS document,
       r.line,
       r.position AS row,
       r.text,
       nullif(r.reading_1, '') AS reading_1,
       nullif(r.reading_2, '') AS reading_2,
       nullif(substr(r.rest2, 1, instr(r.rest2, char(10)) - 1), '') AS reading_3
FROM two AS r
JOIN documents AS d ON d.id = r.document_id
WHERE d.slug = :document  -- if :document
ORDER BY d.id, r.position;
