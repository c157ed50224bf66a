-- versus schema, version 1.
-- A comparison document ("Joseph Stalin vs. Leon Trotsky") has a summary, a
-- comparison table (a value per attribute and figure) and titled sections of
-- prose. The views comparison_table and section_paragraphs at the end are the
-- stable interface for other tools; the tables may grow in later versions.
-- Everything here runs in SQLite 3.37 and later.

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    -- Stable name: the figures' surnames joined by "-vs-", e.g. stalin-vs-trotsky.
    slug        TEXT NOT NULL UNIQUE
                CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    -- "A vs. B", as written in the document.
    title       TEXT NOT NULL CHECK (title <> ''),
    -- The "What's the Difference?" text; paragraphs separated by a blank line.
    summary     TEXT NOT NULL CHECK (summary <> ''),
    -- The closing disclaimer, or NULL when the document had none.
    disclaimer  TEXT CHECK (disclaimer IS NULL OR disclaimer <> ''),
    -- Where the text came from: a file path, '-' for standard input,
    -- or 'seed:<file>' for a document bundled with versus.
    source      TEXT NOT NULL,
    -- How the table header's cells were separated in the text: '' (glued),
    -- a tab, or ' | '. Kept so the document can be written back as it was.
    header_separator TEXT NOT NULL DEFAULT ''
                CHECK (header_separator IN ('', char(9), ' | ')),
    -- Whether the text opened with the site header line "vs." (1) or not (0).
    site_header INTEGER NOT NULL DEFAULT 1 CHECK (site_header IN (0, 1)),
    -- Whether the text ended with a line break (1) or not (0).
    final_newline INTEGER NOT NULL DEFAULT 1 CHECK (final_newline IN (0, 1)),
    -- When the document was last imported (UTC, ISO 8601).
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_by_title ON documents (title COLLATE NOCASE);

-- A person, once, however many documents compare them.
CREATE TABLE figures (
    id      INTEGER PRIMARY KEY,
    -- Full name as the titles write it: "Leon Trotsky".
    name    TEXT NOT NULL UNIQUE CHECK (name <> ''),
    -- The last part of the name, the one prose uses alone: "Trotsky".
    surname TEXT NOT NULL CHECK (surname <> '')
);
CREATE INDEX figures_by_surname ON figures (surname COLLATE NOCASE);

-- Which figures a document compares, in title order (position 1 is "A").
CREATE TABLE document_figures (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    figure_id   INTEGER NOT NULL REFERENCES figures (id),
    position    INTEGER NOT NULL CHECK (position >= 1),
    PRIMARY KEY (document_id, figure_id),
    UNIQUE (document_id, position)
) WITHOUT ROWID;
CREATE INDEX document_figures_by_figure ON document_figures (figure_id);

-- The comparison table: one row per document x attribute x figure.
CREATE TABLE attributes (
    document_id INTEGER NOT NULL,
    -- The attribute's row in the table, from 1.
    position    INTEGER NOT NULL CHECK (position >= 1),
    -- The attribute, e.g. "Foreign policy".
    name        TEXT NOT NULL CHECK (name <> ''),
    -- The name as a topic key: lowercase words without punctuation or small
    -- words ("Role in the Russian Revolution" -> 'role russian revolution').
    -- Named queries match topics on it; sections.topic is made the same way.
    topic       TEXT NOT NULL,
    figure_id   INTEGER NOT NULL,
    -- This figure's cell in that row.
    value       TEXT NOT NULL,
    -- How the row's cells were separated in the text: '' (glued), a tab, or ' | '.
    cell_separator TEXT NOT NULL DEFAULT ''
                CHECK (cell_separator IN ('', char(9), ' | ')),
    PRIMARY KEY (document_id, position, figure_id),
    FOREIGN KEY (document_id, figure_id)
        REFERENCES document_figures (document_id, figure_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The "Further Detail" sections of a document, in order.
CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 1),
    heading     TEXT NOT NULL CHECK (heading <> ''),
    -- The heading as a topic key, made like attributes.topic.
    topic       TEXT NOT NULL,
    UNIQUE (document_id, position)
);

-- The paragraphs of each section, in order.
CREATE TABLE paragraphs (
    id         INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 1),
    -- The figure the paragraph is about: the one of its document's figures it
    -- names first (full name, surname or possessive); NULL if it names none.
    figure_id  INTEGER REFERENCES figures (id),
    text       TEXT NOT NULL CHECK (text <> ''),
    UNIQUE (section_id, position)
);

-- Indexes: every lookup the named queries make goes through a primary key
-- or a UNIQUE constraint above (a test asserts the query plans); each extra
-- index would cost every import, so there are no others.

-- The comparison table, one row per cell, in table order.
CREATE VIEW comparison_table (document, attribute, figure, value) AS
SELECT d.slug, a.name, f.name, a.value
FROM documents AS d
JOIN attributes AS a ON a.document_id = d.id
JOIN document_figures AS df ON df.document_id = a.document_id AND df.figure_id = a.figure_id
JOIN figures AS f ON f.id = a.figure_id
ORDER BY d.id, a.position, df.position;

-- Every paragraph with its section and the figure it is about (NULL if none).
CREATE VIEW section_paragraphs (document, section, paragraph_no, figure, text) AS
SELECT d.slug, s.heading, p.position, f.name, p.text
FROM documents AS d
JOIN sections AS s ON s.document_id = d.id
JOIN paragraphs AS p ON p.section_id = s.id
LEFT JOIN figures AS f ON f.id = p.figure_id
ORDER BY d.id, s.position, p.position;
