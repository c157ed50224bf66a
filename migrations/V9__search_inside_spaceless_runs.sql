-- versus schema, version 9: search inside runs of text written without
-- spaces (Chinese, Japanese, Thai, ...).
-- Everything here runs in SQLite 3.37 and later (the trigram tokenizer is
-- built into SQLite since 3.34; no extension is needed).
--
-- search_index splits text into words at spaces and punctuation
-- (unicode61), so a run such as 織田信長は本能寺の変で is one word there,
-- and 本能寺 inside it is not found. search_cjk indexes the same texts by
-- their runs of three characters (the trigram tokenizer), so any word of
-- three characters or more is found inside a run. It holds only the texts
-- of search_items that have a character of such a script (the class below
-- is names.rs's SPACELESS), kept so by the triggers that follow: the
-- other texts are searched by search_index alone, and the import pays
-- nothing for them. It reads its text from search_items (external
-- content), so snippets work; its content= is written with single quotes,
-- so Datasette and sqlite-utils, which look for the full-text table of
-- search_items by content="search_items", still find search_index. A
-- word of two characters (秀吉) has no trigram: the named query search
-- finds it by instr() in the texts of search_cjk.
CREATE VIRTUAL TABLE search_cjk USING fts5 (
    text,
    content = 'search_items',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER search_items_cjk_insert AFTER INSERT ON search_items
WHEN NEW.text GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*') BEGIN
    INSERT INTO search_cjk (rowid, text) VALUES (NEW.id, NEW.text);
END;
CREATE TRIGGER search_items_cjk_delete AFTER DELETE ON search_items
WHEN OLD.text GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*') BEGIN
    INSERT INTO search_cjk (search_cjk, rowid, text) VALUES ('delete', OLD.id, OLD.text);
END;
-- One trigger for both halves of a change, in this order: the old text's
-- entries go before the new text's come.
CREATE TRIGGER search_items_cjk_update AFTER UPDATE OF text ON search_items BEGIN
    INSERT INTO search_cjk (search_cjk, rowid, text)
    SELECT 'delete', OLD.id, OLD.text WHERE OLD.text GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*');
    INSERT INTO search_cjk (rowid, text)
    SELECT NEW.id, NEW.text WHERE NEW.text GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*');
END;

INSERT INTO search_cjk (rowid, text)
SELECT id, text FROM search_items WHERE text GLOB ('*' || '[' || char(3584) || '-' || char(3839) || char(4096) || '-' || char(4255) || char(4352) || '-' || char(4607) || char(6016) || '-' || char(6143) || char(12352) || '-' || char(12543) || char(12592) || '-' || char(12687) || char(12784) || '-' || char(12799) || char(13312) || '-' || char(19903) || char(19968) || '-' || char(40959) || char(44032) || '-' || char(55215) || char(63744) || '-' || char(64255) || char(131072) || '-' || char(195103) || ']' || '*');
