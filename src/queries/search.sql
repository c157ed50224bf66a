-- name: search
-- title: Full-text search
-- description: Summaries, section headings, paragraphs and table values that contain all the words, best match first (bm25), each with a snippet; the words' places are marked with `before` and `after`. `versus search` runs this query.
-- param: q (search, required) Words that must all appear; punctuation is ignored, and a trailing * matches any ending (trotsk*)
-- param: document (document, optional) Only this document, by slug or title
-- param: figure (figure, optional) Only text about this figure
-- param: limit (integer, default 20) At most this many hits
-- param: before (text, default [) Written before each matching word in the snippet
-- param: after (text, default ]) Written after each matching word in the snippet
SELECT d.slug AS document,
       i.kind,
       i.label AS found_in,
       f.name AS figure,
       -- snippet() takes time that grows with the square of the hits in one
       -- text (a paragraph holding one word 80000 times took a minute), so
       -- a text longer than 5000 characters, longer than any normal
       -- paragraph, shows its first 200 characters instead.
       CASE WHEN length(i.text) <= 5000
            THEN snippet(search_index, 0, :before, :after, '…', 24)
            ELSE substr(i.text, 1, 200) || '…'
       END AS snippet,
       round(-bm25(search_index), 2) AS score
FROM search_index
JOIN search_items AS i ON i.id = search_index.rowid
JOIN documents AS d ON d.id = i.document_id
LEFT JOIN figures AS f ON f.id = i.figure_id
WHERE search_index MATCH :q
  AND d.slug = :document  -- if :document
  AND f.name = :figure  -- if :figure
ORDER BY bm25(search_index), i.id
LIMIT :limit;
