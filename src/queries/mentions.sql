-- name: mentions
-- title: Mentions of a figure
-- description: Every paragraph that names the figure by full name or surname (possessives included, "Trotskyism" not), with its document and section.
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
  AND (' ' || p.text || ' ' GLOB '*[^A-Za-z0-9]' || f.surname || '[^A-Za-z0-9]*'
       OR ' ' || p.text || ' ' GLOB '*[^A-Za-z0-9]' || f.name || '[^A-Za-z0-9]*')
  AND d.slug = :document  -- if :document
ORDER BY d.id, s.position, p.position;
