-- name: differences
-- title: Differences on a topic
-- description: For each figure of each document: its value for the table attribute that matches the topic, and the paragraphs about it in the section that matches the topic. Topics match ignoring case, punctuation and small words ("role in the Russian revolution" finds "Role in Russian Revolution"); a topic with only an attribute, or only a section, answers with what there is, and one with neither in the documents in scope is refused with the closest topics. `versus query "<topic> differences"` runs this query.
-- brief: How the figures differ on one topic: each figure's value in the table and its paragraphs. Type a topic such as foreign policy or leadership style; leave document empty for every document.
-- param: topic (topic, required) The attribute or section to compare, for example "foreign policy"
-- param: document (document, optional) Only this document, by slug or title
SELECT document, figure, attribute, value, paragraphs
FROM (
    SELECT d.id AS document_id,
           df.position AS figure_position,
           d.slug AS document,
           f.name AS figure,
           a.name AS attribute,
           a.value AS value,
           (SELECT group_concat(text, char(10) || char(10))
              FROM (SELECT p.text
                      FROM sections AS s
                      -- CROSS JOIN keeps sections outermost: a document's few
                      -- sections, then their paragraphs, not every paragraph
                      -- of the figure across all documents.
                      CROSS JOIN paragraphs AS p ON p.section_id = s.id
                     WHERE s.document_id = d.id AND s.topic = :topic AND p.figure_id = df.figure_id
                     ORDER BY s.position, p.position)) AS paragraphs
      FROM documents AS d
      JOIN document_figures AS df ON df.document_id = d.id
      JOIN figures AS f ON f.id = df.figure_id
      LEFT JOIN attributes AS a
             ON a.document_id = d.id AND a.figure_id = df.figure_id AND a.topic = :topic
     WHERE d.slug = :document  -- if :document
)
WHERE value IS NOT NULL OR paragraphs IS NOT NULL
ORDER BY document_id, figure_position;
