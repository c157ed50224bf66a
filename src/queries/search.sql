-- name: search
-- title: Full-text search
-- description: Summaries, section headings, paragraphs and table values that contain all the words, best match first (bm25), each with a snippet; the words' places are marked with `before` and `after`. Words in a script written without spaces (Chinese, Japanese, Thai...) are found inside a run of text too: three characters or more through the trigram index search_cjk, a word of two such characters by a scan of the texts that have such characters. `versus search` runs this query.
-- brief: Summaries, headings, paragraphs and table values with all the words, best match first. Type words in q (trotsk* for any ending); document, figure and limit narrow the hits, and before and after mark the matches.
-- param: q (search, required) Words that must all appear; punctuation is ignored, and a trailing * matches any ending (trotsk*)
-- param: document (document, optional) Only this document, by slug or title
-- param: figure (figure, optional) Only text about this figure
-- param: limit (integer, default 20) At most this many hits
-- param: before (text, default [) Written before each matching word in the snippet
-- param: after (text, default ]) Written after each matching word in the snippet
WITH hits (id, rank, snippet) AS (
    -- snippet() takes time that grows with the square of the hits in one
    -- text (a paragraph holding one word 80000 times took a minute), so a
    -- text longer than 5000 characters, longer than any normal paragraph,
    -- shows its first 200 characters instead.
    SELECT search_index.rowid, bm25(search_index),
           CASE WHEN length(i.text) <= 5000
                THEN snippet(search_index, 0, :before, :after, '…', 24)
                ELSE substr(i.text, 1, 200) || '…'
           END
    FROM search_index
    JOIN search_items AS i ON i.id = search_index.rowid
    WHERE search_index MATCH :q
    UNION ALL
    -- Words inside runs of a script written without spaces (migration 9),
    -- asked only when the words have such a character; a text that
    -- search_index found is not given twice.
    SELECT search_cjk.rowid, bm25(search_cjk),
           CASE WHEN length(i.text) <= 5000
                THEN snippet(search_cjk, 0, :before, :after, '…', 24)
                ELSE substr(i.text, 1, 200) || '…'
           END
    FROM search_cjk
    JOIN search_items AS i ON i.id = search_cjk.rowid
    WHERE :q GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*')
      AND search_cjk MATCH :q
      AND search_cjk.rowid NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH :q)
    UNION ALL
    -- One word of two such characters ("秀吉") has no run of three: the
    -- texts that have such characters are read for it, ranked after the
    -- others.
    SELECT i.id, 0,
           '…' || substr(i.text, max(1, instr(i.text, substr(:q, 2, 2)) - 24),
                         min(24, instr(i.text, substr(:q, 2, 2)) - 1))
               || :before || substr(:q, 2, 2) || :after
               || substr(i.text, instr(i.text, substr(:q, 2, 2)) + 2, 24) || '…'
    FROM search_items AS i
    WHERE length(:q) = 4 AND :q GLOB ('"' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '"')
      AND i.text GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*')
      AND instr(i.text, substr(:q, 2, 2)) > 0
)
SELECT d.slug AS document,
       i.kind,
       i.label AS found_in,
       f.name AS figure,
       h.snippet,
       round(-h.rank, 2) AS score
FROM hits AS h
JOIN search_items AS i ON i.id = h.id
JOIN documents AS d ON d.id = i.document_id
LEFT JOIN figures AS f ON f.id = i.figure_id
WHERE h.id IS NOT NULL
  AND d.slug = :document  -- if :document
  AND f.name = :figure  -- if :figure
ORDER BY h.rank, i.id
LIMIT :limit;
