//! The documents bundled with versus, compiled into the binary so that an
//! installed versus can seed a database without the source tree.

/// `(file name, text)` of each bundled document, byte for byte as in `seeds/`.
pub const SEEDS: &[(&str, &str)] = &[(
    "stalin-vs-trotsky.txt",
    include_str!("../seeds/stalin-vs-trotsky.txt"),
)];
