//! The documents bundled with versus, compiled into the binary so that an
//! installed versus can seed a database without the source tree.

/// `(file name, text)` of each bundled document, byte for byte as in `seeds/`.
pub const SEEDS: &[(&str, &str)] = &[(
    "stalin-vs-trotsky.txt",
    include_str!("../seeds/stalin-vs-trotsky.txt"),
)];

/// The bundled documents, parsed: what a database made by `versus init`
/// holds, for the commands that describe it without creating one (`queries`
/// and `--format datasette` with no database yet). Each seed parses (`versus
/// init` fails saying which one does not, and its tests would too).
pub fn documents() -> Vec<crate::document::Document> {
    SEEDS
        .iter()
        .filter_map(|(_, text)| crate::document::parse_document(text).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    /// None is dropped for not parsing.
    #[test]
    fn every_seed_parses() {
        assert_eq!(super::documents().len(), super::SEEDS.len());
    }
}
