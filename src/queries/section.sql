-- name: section
-- title: One section
-- description: The paragraphs of the section whose heading matches, in order, each with the figure it is about. Headings match ignoring case, punctuation and small words.
-- brief: The paragraphs of one section, in order, each with the figure it is about. Type a heading such as legacy; leave document empty for every document.
-- param: heading (topic, required) The section heading, for example "legacy"
-- param: document (document, optional) Only this document, by slug or title
SELECT d.slug AS document,
       s.heading AS section,
       p.position AS paragraph_no,
       f.name AS figure,
       p.text
FROM documents AS d
JOIN sections AS s ON s.document_id = d.id
JOIN paragraphs AS p ON p.section_id = s.id
LEFT JOIN figures AS f ON f.id = p.figure_id
WHERE s.topic = :heading
  AND d.slug = :document  -- if :document
ORDER BY d.id, s.position, p.position;
