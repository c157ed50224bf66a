-- name: mentions
-- title: Mentions of a figure
-- description: Every paragraph that names the figure, with its document and section: by full name anywhere; in the figure's own documents also by any part of the name no other figure of that document has (a first name too); elsewhere by surname, unless a figure of that document has the same one. A part two figures share ("Adams" in John Adams vs. Samuel Adams) names neither. Possessives count ("Trotsky's"), longer words do not ("Trotskyism").
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
WHERE f.name = :figure
  AND d.slug = :document  -- if :document
  AND (' ' || p.text || ' ' GLOB '*[^A-Za-z0-9]' || f.name || '[^A-Za-z0-9]*'
       OR EXISTS (
           SELECT 1 FROM figure_name_parts AS n
           WHERE n.figure_id = f.id
             AND ' ' || p.text || ' ' GLOB '*[^A-Za-z0-9]' || n.part || '[^A-Za-z0-9]*'
             -- Outside the figure's own documents only the surname names it.
             AND (n.part = f.surname
                  OR EXISTS (SELECT 1 FROM document_figures AS own
                             WHERE own.document_id = d.id AND own.figure_id = f.id))
             -- A part another figure of this document has names neither.
             AND NOT EXISTS (SELECT 1 FROM document_figures AS other
                             JOIN figure_name_parts AS o ON o.figure_id = other.figure_id
                             WHERE other.document_id = d.id AND other.figure_id <> f.id
                               AND o.part = n.part)))
ORDER BY d.id, s.position, p.position;
