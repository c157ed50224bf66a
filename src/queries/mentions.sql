-- name: mentions
-- title: Mentions of a figure
-- description: Every paragraph that names the figure, with its document and section: by full name anywhere; in the figure's own documents also by any part of the name no other figure of that document has (a first name too); elsewhere by surname, unless a figure of that document has the same one. A part two figures share ("Adams" in John Adams vs. Samuel Adams) names neither. Possessives count ("Trotsky's"), longer words do not ("Trotskyism", "Ленинизм"); a name in Chinese, Japanese, Thai or Korean counts inside a run of text ("信長" in "織田信長は"); a thing named in any letter case by its document ("Cats", "Tea") counts as "cats" too. The rule is the one versus attributes paragraphs by.
-- brief: Every paragraph that names a figure. Type a full name or a surname such as trotsky (one that is not stored, or a surname two figures share, gives no rows); leave document empty for every document.
-- param: figure (figure, required) The figure, by full name or surname, for example "Trotsky"
-- param: document (document, optional) Only this document, by slug or title
SELECT d.slug AS document,
       s.heading AS section,
       p.position AS paragraph_no,
       p.text
FROM figures AS f
JOIN documents AS d
JOIN sections AS s ON s.document_id = d.id
JOIN paragraphs AS p ON p.section_id = s.id
-- The rule of src/document/names.rs: `ends` are the characters either side
-- of a name (punctuation and spaces of every script, and the scripts
-- written without spaces), `spaceless` those scripts, whose names count
-- anywhere; a thing named in any letter case is compared with A-Z folded.
JOIN (SELECT '[' || char(1) || '-/:-@[-`{-' || char(191) || char(215) || char(247) || char(700) || char(894) || char(903) || char(1370) || '-' || char(1375) || char(1417) || '-' || char(1418) || char(1470) || char(1472) || char(1475) || char(1523) || '-' || char(1524) || char(1548) || '-' || char(1549) || char(1563) || char(1567) || char(1642) || '-' || char(1645) || char(1748) || char(2404) || '-' || char(2405) || char(3584) || '-' || char(3839) || char(3674) || '-' || char(3675) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(8192) || '-' || char(11263) || char(11776) || '-' || char(11903) || char(12288) || '-' || char(12351) || char(12352) || '-' || char(12543) || char(12539) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(65040) || '-' || char(65055) || char(65072) || '-' || char(65135) || char(65279) || char(65280) || '-' || char(65295) || char(65306) || '-' || char(65312) || char(65339) || '-' || char(65344) || char(65371) || '-' || char(65381) || char(126976) || '-' || char(129791) || char(131072) || '-' || char(195103) || ']' AS ends,
             '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' AS spaceless)
WHERE f.name = :figure
  AND d.slug = :document  -- if :document
  AND EXISTS (
      SELECT 1
      FROM (SELECT f.name AS word
            UNION ALL
            SELECT n.part FROM figure_name_parts AS n
            WHERE n.figure_id = f.id
              -- Outside the figure's own documents only the surname names it.
              AND (n.part = f.surname
                   OR EXISTS (SELECT 1 FROM document_figures AS own
                              WHERE own.document_id = d.id AND own.figure_id = f.id))
              -- A part another figure of this document has names neither.
              AND NOT EXISTS (SELECT 1 FROM document_figures AS other
                              JOIN figure_name_parts AS o ON o.figure_id = other.figure_id
                              WHERE other.document_id = d.id AND other.figure_id <> f.id
                                AND o.part = n.part))
      WHERE CASE WHEN word GLOB '*' || spaceless || '*'
                 THEN instr(p.text, word) > 0
                 -- In any letter case: as its own document says, elsewhere
                 -- as any document that compares it says.
                 WHEN (SELECT coalesce(max(x.any_case), 0)
                       FROM document_figures AS x
                       WHERE x.figure_id = f.id
                         AND (x.document_id = d.id
                              OR NOT EXISTS (SELECT 1 FROM document_figures AS own
                                             WHERE own.document_id = d.id AND own.figure_id = f.id)))
                 THEN lower(' ' || p.text || ' ') GLOB '*' || ends || lower(word) || ends || '*'
                 ELSE ' ' || p.text || ' ' GLOB '*' || ends || word || ends || '*'
            END)
ORDER BY d.id, s.position, p.position;
