-- versus schema, version 6: an import checks only the titles that changed.
-- Nothing stored changes.
--
-- documents.title_key is what identifies a document (migration 3): the
-- title as versus compares it, computed by versus. Another tool that
-- inserts a document or changes a title cannot compute it exactly (the
-- insert trigger of migration 3 gives lower(trim(title)) meanwhile), so
-- every import and `versus init` first put the key right on every row
-- whose key was not its title's. Until now that meant reading every title
-- of the database on each run: 0.1 s at 110,000 documents, most of the
-- time of an import of one document, and the only part of an import that
-- grew with the database rather than with what it imports.
--
-- From here on the triggers below note each document whose title or key
-- anyone writes, and versus checks only those. versus sets the triggers
-- aside while it writes documents itself (it writes the exact key), and
-- empties the table once the keys are right. `versus check` reports a
-- missing trigger or table; `versus check --repair` makes them again and
-- notes every document, so that the next import checks every title.

-- Documents whose title or title key another tool (or `versus sql
-- --write`) wrote: the next import or `versus init` puts their key right,
-- then empties this table.
CREATE TABLE titles_to_key (
    document_id INTEGER PRIMARY KEY
);

CREATE TRIGGER documents_title_inserted AFTER INSERT ON documents BEGIN
    INSERT OR IGNORE INTO titles_to_key (document_id) VALUES (NEW.id);
END;

CREATE TRIGGER documents_title_changed AFTER UPDATE OF title, title_key ON documents BEGIN
    INSERT OR IGNORE INTO titles_to_key (document_id) VALUES (NEW.id);
END;

-- Every document is checked once more, by the next import: a title
-- another tool changed since the last one is put right then.
INSERT INTO titles_to_key (document_id) SELECT id FROM documents;
