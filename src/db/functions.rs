//! The SQL functions versus's own write connections define for its
//! migrations and imports (`versus_title_key` and the others).

use rusqlite::Connection;

use super::*;

/// The functions migrations and imports call to compute in SQL what versus
/// computes in Rust (see migration 3). They live only on versus's own write
/// connections, so no stored table, view or trigger may call them. They take
/// any value another tool may have stored (a BLOB, text that is not UTF-8, a
/// number) as the text it reads as, so that a bad row never stops an import
/// that would replace it.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("versus_title_key", 1, flags, |ctx| {
        Ok(crate::document::title_key(&lossy_text(ctx.get_raw(0))))
    })?;
    conn.create_scalar_function("versus_name_parts", 1, flags, |ctx| {
        Ok(crate::document::name_parts(&lossy_text(ctx.get_raw(0)))
            .collect::<Vec<_>>()
            .join("\n"))
    })?;
    // Whether a text goes into search_cjk: the triggers' GLOB class
    // (migration 9), which SQLite's GLOB tries at every character of every
    // text, half of an import's time; here one pass, none for ASCII.
    conn.create_scalar_function("versus_spaceless", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            rusqlite::types::ValueRef::Text(t) => {
                !t.is_ascii() && crate::document::has_spaceless(&String::from_utf8_lossy(t))
            }
            _ => false,
        })
    })?;
    conn.create_scalar_function("versus_figure_named_first", 2, flags, |ctx| {
        let text = lossy_text(ctx.get_raw(0));
        let figures: Vec<String> = lossy_text(ctx.get_raw(1))
            .split('\n')
            .map(String::from)
            .collect();
        Ok(crate::document::figure_named_first(&figures, &text).map(|i| i as i64 + 1))
    })?;
    Ok(())
}
