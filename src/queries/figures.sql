-- name: figures
-- title: Figures
-- description: Every figure, with the documents that compare them.
-- brief: Every figure, with the documents that compare them. Type a document's slug or title to see only its figures, or leave it empty.
-- param: document (document, optional) Only the figures of this document, by slug or title
SELECT f.name AS figure,
       (SELECT count(*) FROM document_figures AS x WHERE x.figure_id = f.id) AS documents,
       (SELECT group_concat(slug, ', ')
          FROM (SELECT d.slug FROM document_figures AS x JOIN documents AS d ON d.id = x.document_id
                 WHERE x.figure_id = f.id ORDER BY d.id)) AS compared_in
FROM figures AS f
WHERE f.id IN (SELECT df.figure_id FROM document_figures AS df JOIN documents AS d ON d.id = df.document_id WHERE d.slug = :document)  -- if :document
ORDER BY f.name;
