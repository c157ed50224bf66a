-- versus schema, version 6: an import checks only the titles that changed.
-- Nothing stored changes.
--
-- documents.title_key is what identifies a document (migration 3): the
-- title as versus compares it, computed by versus. Another tool that
-- inserts a document or changes a title cannot compute it exactly (the
-- insert trigger of migration 3 gives lower(trim(title)) meanwhile), so
-- every import and `versus init` first put the key right on every row
-- whose key was not its title's. Until now that meant reading every title
-- of the database on each run: 74 ms at 110,000 documents, most of the
-- time of an import of one document, and the only part of an import that
-- grew with the database rather than with what it imports.
--
-- From here on the triggers below note each document whose title or key
-- anyone writes, and versus checks only those. versus sets the triggers
-- aside while it writes documents itself (it writes the exact key), and
-- empties the table once the keys are right. While either trigger is
-- missing versus reads every title again; `versus check` reports it, and
-- `versus check --repair` makes it again and notes every document.

CREATE TABLE titles_to_key (
    -- A document whose title or title_key was written since versus last
    -- keyed the titles: inserted or retitled by another tool, or by
    -- `versus sql --write`. title_key is the title as versus compares it,
    -- which only versus computes: the next `versus import` or `versus init`
    -- puts right the key of each document noted here, then empties this
    -- table. A row whose document is gone is harmless and goes with them.
    document_id INTEGER PRIMARY KEY
);

CREATE TRIGGER documents_title_inserted AFTER INSERT ON documents BEGIN
    -- Notes the new document for versus to key its title (titles_to_key).
    INSERT OR IGNORE INTO titles_to_key (document_id) VALUES (NEW.id);
END;

CREATE TRIGGER documents_title_changed AFTER UPDATE OF title, title_key ON documents BEGIN
    -- Notes the document for versus to key its title again (titles_to_key).
    INSERT OR IGNORE INTO titles_to_key (document_id) VALUES (NEW.id);
END;

-- Every document is checked once more, by the next import: a title
-- another tool changed since the last one is put right then.
INSERT INTO titles_to_key (document_id) SELECT id FROM documents;
