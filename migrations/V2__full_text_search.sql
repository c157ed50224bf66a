-- versus schema, version 2: full-text search.
-- search_items holds one row per searchable text: each document's summary,
-- each section heading, each paragraph and each comparison-table value. It
-- is kept in step with those tables by the triggers below, so rows changed
-- by `versus sql --write` or by any other SQLite tool stay searchable.
-- search_index is an FTS5 index over search_items (external content).
-- `versus reindex` rebuilds both from the document tables.

CREATE TABLE search_items (
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
-- The only index: the triggers find a row through its document, whose few
-- dozen texts are then filtered. (section_id, paragraph_id and figure_id are
-- kept by triggers, not foreign keys, which would each need an index that
-- every import pays for.)
CREATE INDEX search_items_by_document ON search_items (document_id);

CREATE VIRTUAL TABLE search_index USING fts5 (
    text,
    content = 'search_items',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

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

-- The document tables -> search_items. A deleted document takes its texts
-- with it through the foreign key above.
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO search_items (kind, document_id, label, text)
    VALUES ('summary', NEW.id, NULL, NEW.summary);
END;
CREATE TRIGGER documents_search_update AFTER UPDATE OF summary ON documents BEGIN
    UPDATE search_items SET text = NEW.summary WHERE document_id = NEW.id AND kind = 'summary';
END;

CREATE TRIGGER sections_search_insert AFTER INSERT ON sections BEGIN
    INSERT INTO search_items (kind, document_id, section_id, label, text)
    VALUES ('heading', NEW.document_id, NEW.id, NEW.heading, NEW.heading);
END;
CREATE TRIGGER sections_search_update AFTER UPDATE OF heading ON sections BEGIN
    UPDATE search_items SET label = NEW.heading WHERE document_id = NEW.document_id AND section_id = NEW.id;
    UPDATE search_items SET text = NEW.heading
    WHERE document_id = NEW.document_id AND section_id = NEW.id AND kind = 'heading';
END;
CREATE TRIGGER sections_search_delete AFTER DELETE ON sections BEGIN
    DELETE FROM search_items WHERE document_id = OLD.document_id AND section_id = OLD.id;
END;

CREATE TRIGGER paragraphs_search_insert AFTER INSERT ON paragraphs BEGIN
    INSERT INTO search_items (kind, document_id, section_id, paragraph_id, figure_id, label, text)
    SELECT 'paragraph', s.document_id, s.id, NEW.id, NEW.figure_id, s.heading, NEW.text
    FROM sections AS s WHERE s.id = NEW.section_id;
END;
CREATE TRIGGER paragraphs_search_update AFTER UPDATE OF text, figure_id ON paragraphs BEGIN
    UPDATE search_items SET text = NEW.text, figure_id = NEW.figure_id
    WHERE document_id = (SELECT document_id FROM sections WHERE id = NEW.section_id) AND paragraph_id = NEW.id;
END;
CREATE TRIGGER paragraphs_search_delete AFTER DELETE ON paragraphs BEGIN
    DELETE FROM search_items
    WHERE document_id = (SELECT document_id FROM sections WHERE id = OLD.section_id) AND paragraph_id = OLD.id;
END;

CREATE TRIGGER attributes_search_insert AFTER INSERT ON attributes BEGIN
    INSERT INTO search_items (kind, document_id, attribute_position, figure_id, label, text)
    VALUES ('value', NEW.document_id, NEW.position, NEW.figure_id, NEW.name, NEW.value);
END;
CREATE TRIGGER attributes_search_update AFTER UPDATE OF name, value ON attributes BEGIN
    UPDATE search_items SET label = NEW.name, text = NEW.value
    WHERE document_id = NEW.document_id AND kind = 'value'
      AND attribute_position = NEW.position AND figure_id = NEW.figure_id;
END;
CREATE TRIGGER attributes_search_delete AFTER DELETE ON attributes BEGIN
    DELETE FROM search_items
    WHERE document_id = OLD.document_id AND kind = 'value'
      AND attribute_position = OLD.position AND figure_id = OLD.figure_id;
END;

-- What is already stored becomes searchable now.
INSERT INTO search_items (kind, document_id, label, text)
SELECT 'summary', id, NULL, summary FROM documents;
INSERT INTO search_items (kind, document_id, section_id, label, text)
SELECT 'heading', document_id, id, heading, heading FROM sections;
INSERT INTO search_items (kind, document_id, section_id, paragraph_id, figure_id, label, text)
SELECT 'paragraph', s.document_id, s.id, p.id, p.figure_id, s.heading, p.text
FROM paragraphs AS p JOIN sections AS s ON s.id = p.section_id;
INSERT INTO search_items (kind, document_id, attribute_position, figure_id, label, text)
SELECT 'value', document_id, position, figure_id, name, value FROM attributes;
