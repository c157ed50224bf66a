-- versus schema, version 7: table rows kept as written until a person
-- decides how to split them.
-- Everything here runs in SQLite 3.37 and later.
--
-- A glued table row ("Age at coronation2518") hides where its cells
-- begin. versus splits it when the evidence leaves one clear reading (see
-- "How versus splits a glued row" in the README); otherwise it keeps the row
-- as written, here, and imports the rest of the document. Such a row has
-- no cells in `attributes`; its place in the table is its position, counted
-- with attributes.position (a table of 5 rows whose 3rd is unresolved has
-- attributes at positions 1, 2, 4 and 5, and an unresolved row at 3).

CREATE TABLE unresolved_rows (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- The row's place in the table, from 1, as attributes.position.
    position    INTEGER NOT NULL CHECK (position >= 1),
    -- The line of the text it was read from; NULL when it came as JSON.
    line        INTEGER,
    -- The row exactly as written.
    text        TEXT NOT NULL CHECK (text <> ''),
    -- Its best readings, best first, one a line, cells joined by ' | '
    -- (a glued row never holds ' | ', which would separate it); '' if none.
    readings    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, position)
) WITHOUT ROWID;

-- How a person split a row (`versus resolve`): its cells, joined by ' | '.
-- An import that meets the same row again, in any document, splits it so,
-- and nobody is asked again; a row that changed is asked about again.
CREATE TABLE row_resolutions (
    text        TEXT NOT NULL PRIMARY KEY CHECK (text <> ''),
    cells       TEXT NOT NULL CHECK (cells <> ''),
    resolved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;

-- A deleted document takes its unresolved rows too, with foreign keys on
-- or off (as migration 4 made it take everything else).
DROP TRIGGER IF EXISTS documents_cascade;
CREATE TRIGGER documents_cascade AFTER DELETE ON documents BEGIN
    DELETE FROM sections WHERE document_id = OLD.id;
    DELETE FROM attributes WHERE document_id = OLD.id;
    DELETE FROM document_figures WHERE document_id = OLD.id;
    DELETE FROM search_items WHERE document_id = OLD.id;
    DELETE FROM unresolved_rows WHERE document_id = OLD.id;
END;

-- The comparison table, one row per cell, in table order. An unresolved
-- row is one line: its whole text as the attribute, and NULL as figure and
-- value (a split row always names its figure), so
-- `WHERE figure IS NULL` lists exactly the rows that need a decision.
DROP VIEW IF EXISTS comparison_table;
CREATE VIEW comparison_table (document, attribute, figure, value) AS
SELECT document, attribute, figure, value FROM (
    SELECT d.id AS document_id, a.position AS position, df.position AS column_no,
           d.slug AS document, a.name AS attribute, f.name AS figure, a.value AS value
    FROM documents AS d
    JOIN attributes AS a ON a.document_id = d.id
    JOIN document_figures AS df ON df.document_id = a.document_id AND df.figure_id = a.figure_id
    JOIN figures AS f ON f.id = a.figure_id
    UNION ALL
    SELECT d.id, u.position, 0, d.slug, u.text, NULL, NULL
    FROM documents AS d
    JOIN unresolved_rows AS u ON u.document_id = d.id
)
ORDER BY document_id, position, column_no;
