-- versus schema, version 8: one rule for how prose names a figure, in
-- every script.
-- Everything here runs in SQLite 3.37 and later.
--
-- Attribution (which figure a paragraph is about, computed by versus) and
-- the named query `mentions` (SQL that any tool runs) now read names by
-- the same rule, written once in src/document/names.rs and spelled in
-- mentions.sql as the same GLOB classes: a name stands between characters
-- that end a word (punctuation and spaces of every script, not only
-- ASCII: `Ленин` is not named in `Ленинизм`); a name in a script written
-- without spaces (Chinese, Japanese, Thai, Korean) is found anywhere in a
-- run of text (`信長` in `織田信長は`); a name part may start with a letter
-- that has no case (`織田 信長` has the parts 織田 and 信長), and a name of
-- four Han characters is two names of two (`徳川家康`: 徳川, 家康).

-- Whether the document names the figure in any letter case: a thing, not
-- a person (`Cats` in "Cats vs. Dogs", named by `cats`). versus decides it
-- at import from the document's prose: a one-word name written in
-- lowercase there and capitalised only where a sentence starts. 0 for the
-- documents stored before (import one again to decide it).
ALTER TABLE document_figures ADD COLUMN
    any_case INTEGER NOT NULL DEFAULT 0 CHECK (any_case = 0 OR any_case = 1);

-- The name parts, and so the surnames, by the new rule.
DELETE FROM figure_name_parts;
WITH RECURSIVE split (figure_id, position, part, rest) AS (
    SELECT id, 0, NULL, versus_name_parts(name) || char(10) FROM figures
    UNION ALL
    SELECT figure_id, position + 1,
           substr(rest, 1, instr(rest, char(10)) - 1),
           substr(rest, instr(rest, char(10)) + 1)
    FROM split WHERE rest <> ''
)
INSERT INTO figure_name_parts (figure_id, position, part)
SELECT figure_id, position, part FROM split WHERE position > 0 AND part <> '';
UPDATE figures
SET surname = (SELECT part FROM figure_name_parts AS n
               WHERE n.figure_id = figures.id ORDER BY n.position DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM figure_name_parts AS n WHERE n.figure_id = figures.id);

-- Every paragraph attributed again by the rule, so that `mentions` and
-- the stored attribution agree on the documents stored before.
UPDATE paragraphs
SET figure_id = (
    SELECT df.figure_id
    FROM sections AS s
    JOIN document_figures AS df ON df.document_id = s.document_id
    WHERE s.id = paragraphs.section_id
      AND df.position = versus_figure_named_first(paragraphs.text, (
          SELECT group_concat(name, char(10)) FROM (
              SELECT f.name FROM document_figures AS x JOIN figures AS f ON f.id = x.figure_id
              WHERE x.document_id = s.document_id ORDER BY x.position)))
);
