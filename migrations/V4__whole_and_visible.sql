-- versus schema, version 4: a full-text index other tools find, and a
-- deletion that leaves nothing behind whichever tool makes it.
-- Everything here runs in SQLite 3.37 and later.

-- 1. The full-text index, in the form Datasette and sqlite-utils detect.
-- Both find the index of a table by looking for
-- `content="<table>"` (or `content=[<table>]`) in the CREATE VIRTUAL TABLE
-- statement; version 2 wrote `content = 'search_items'`, which neither
-- matches, so `sqlite-utils search DB search_items WORDS`, `sqlite-utils
-- rebuild-fts` and Datasette's search box and `?_search=` did not work.
-- The index is the same as before (same column, same tokenizer, rows keyed
-- by search_items.id), so searches find and rank exactly as they did.
-- Dropping it drops its settings too: the FTS5 hash size of version 3 is
-- set again below, then the index is rebuilt from search_items.
-- The IF EXISTS and IF NOT EXISTS below let a database another tool
-- damaged (search_items or search_index dropped) be migrated too, so that
-- `versus check --repair` can then rebuild what is missing: the table
-- below is version 2's, word for word, and does nothing where it is there.
DROP TRIGGER IF EXISTS search_items_insert;
DROP TRIGGER IF EXISTS search_items_delete;
DROP TRIGGER IF EXISTS search_items_update;
DROP TABLE IF EXISTS search_index;
CREATE TABLE IF NOT EXISTS search_items (
    id          INTEGER PRIMARY KEY,
    -- What the text is: 'summary', 'heading', 'paragraph' or 'value'.
    kind        TEXT NOT NULL CHECK (kind IN ('summary', 'heading', 'paragraph', 'value')),
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- The section of a heading or paragraph (sections.id).
    section_id  INTEGER,
    -- The paragraph (paragraphs.id).
    paragraph_id INTEGER,
    -- The table row of a value (attributes.position).
    attribute_position INTEGER,
    -- The figure the text is about: a paragraph's or a value's (figures.id).
    figure_id   INTEGER,
    -- Where the text is: the section heading, or the attribute name.
    label       TEXT,
    text        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_items_by_document ON search_items (document_id);

CREATE VIRTUAL TABLE search_index USING fts5 (
    text,
    content="search_items",
    content_rowid="id",
    tokenize="unicode61 remove_diacritics 2"
);

-- FTS5 keeps up to 8 MiB of new index entries in memory before it writes
-- them out as a segment (its default is 1 MiB): a large import writes and
-- merges fewer segments. 8 MiB imports as fast as 32 MiB did (measured on
-- 20,000 and 50,000 documents) and keeps an import's memory from growing
-- with the corpus.
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 8388608);
INSERT INTO search_index (search_index) VALUES ('rebuild');

-- search_items -> search_index (the usual external-content triggers).
CREATE TRIGGER search_items_insert AFTER INSERT ON search_items BEGIN
    INSERT INTO search_index (rowid, text) VALUES (NEW.id, NEW.text);
END;
CREATE TRIGGER search_items_delete AFTER DELETE ON search_items BEGIN
    INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', OLD.id, OLD.text);
END;
CREATE TRIGGER search_items_update AFTER UPDATE OF text ON search_items BEGIN
    INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO search_index (rowid, text) VALUES (NEW.id, NEW.text);
END;

-- 2. A deletion removes everything that belongs to the deleted row, with
-- foreign keys on or off. The ON DELETE CASCADE clauses act only on a
-- connection that turned foreign keys on, and the sqlite3 shell and
-- Python's sqlite3 module leave them off: a document deleted there used to
-- leave its sections, paragraphs, table, search texts and figures behind,
-- and a new import of it failed. These triggers do what the cascades do.
-- With foreign keys on, SQLite runs the cascades first and the triggers
-- then find nothing left to delete.

-- A document takes its figures' places, its table, its sections (and so
-- their paragraphs) and its search texts.
CREATE TRIGGER documents_cascade AFTER DELETE ON documents BEGIN
    DELETE FROM sections WHERE document_id = OLD.id;
    DELETE FROM attributes WHERE document_id = OLD.id;
    DELETE FROM document_figures WHERE document_id = OLD.id;
    DELETE FROM search_items WHERE document_id = OLD.id;
END;

-- A figure's place in a document takes that figure's column of the
-- comparison table; a figure no document compares any more goes too, as it
-- does when an import replaces the last document that compared it.
-- (`versus import` sets this trigger aside while it writes, and removes
-- such figures itself once the documents are written, so that a figure of
-- a document it replaces keeps its id.)
CREATE TRIGGER document_figures_cascade AFTER DELETE ON document_figures BEGIN
    DELETE FROM attributes WHERE document_id = OLD.document_id AND figure_id = OLD.figure_id;
    DELETE FROM figures WHERE id = OLD.figure_id
        AND NOT EXISTS (SELECT 1 FROM document_figures WHERE figure_id = OLD.figure_id);
END;

-- A section takes its paragraphs (their search texts go through the
-- search triggers of version 2).
CREATE TRIGGER sections_cascade AFTER DELETE ON sections BEGIN
    DELETE FROM paragraphs WHERE section_id = OLD.id;
END;

-- A figure takes the parts of its name.
CREATE TRIGGER figures_cascade AFTER DELETE ON figures BEGIN
    DELETE FROM figure_name_parts WHERE figure_id = OLD.id;
END;
