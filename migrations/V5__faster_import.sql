-- versus schema, version 5: an import as fast as before in less memory.
-- Nothing stored changes: (1) three CHECK constraints are written so that
-- SQLite tests them without building a temporary table for every row, and
-- (2) the full-text index keeps less in memory while it is written.

-- 1. The same CHECK constraints, tested in place.
-- SQLite checks `x IN (a, b, c)` (three values or more) by filling a
-- temporary index with the list, and in a CHECK constraint it does that for
-- every row written: EXPLAIN shows OpenEphemeral inside the insert. Three
-- constraints were written that way, on the tables an import writes most
-- (search_items, attributes, documents): an import of 20,000 documents
-- spent 15% of its time building those little indexes. A chain of `=`
-- is tested in place.
-- Each constraint below accepts exactly the values the one it replaces
-- accepted, so every stored row still meets it and no row changes. It is
-- changed in place, as SQLite documents for constraints
-- (https://sqlite.org/lang_altertable.html#otheralter): the table's
-- definition in sqlite_master is edited, then a schema change tells every
-- connection to read the definitions again. A definition that another tool
-- changed is left as it is (replace() finds nothing to replace).
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (header_separator IN ('''', char(9), '' | ''))',
    'CHECK (header_separator = '''' OR header_separator = char(9) OR header_separator = '' | '')')
WHERE type = 'table' AND name = 'documents';
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (cell_separator IN ('''', char(9), '' | ''))',
    'CHECK (cell_separator = '''' OR cell_separator = char(9) OR cell_separator = '' | '')')
WHERE type = 'table' AND name = 'attributes';
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (kind IN (''summary'', ''heading'', ''paragraph'', ''value''))',
    'CHECK (kind = ''summary'' OR kind = ''heading'' OR kind = ''paragraph'' OR kind = ''value'')')
WHERE type = 'table' AND name = 'search_items';
-- RESET turns editing off and makes this connection read the definitions
-- again; the table made and dropped below raises the schema version, so
-- that every other connection does too.
PRAGMA writable_schema = RESET;
CREATE TABLE versus_schema_changed (x);
DROP TABLE versus_schema_changed;

-- 2. FTS5 keeps up to 3 MiB of new index entries in memory before it
-- writes them out as a segment (version 4 set 8 MiB). Its memory for them
-- is up to twice that, and an import reached the limit only past some
-- 10,000 documents, so a large import took 8 MiB more than a small one.
-- Measured: 3 MiB imports 20,000 and 50,000 documents as fast as 4 MiB and
-- 2% slower than 8 MiB; 2.5 MiB was 2% slower again at 50,000, 2 MiB 6%.
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 3145728);
