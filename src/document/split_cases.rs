//! Cases for the row splitter: realistic rows with their expected outcome,
//! the counterexamples the properties once found, and properties that glue
//! hostile cells together and check that a row is split exactly as it was
//! glued, or refused, never split differently.

use super::*;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// What a row must give.
#[derive(Debug)]
enum Expect {
    /// Exactly these cells.
    Cells(&'static [&'static str]),
    /// Refused: not enough certain places, and the uncertain ones shown.
    Uncertain,
    /// Refused: not enough places even counting uncertain ones.
    TooFew,
    /// Refused: more certain places than needed.
    Ambiguous,
}
use Expect::*;

const STALIN: &[&str] = &["Joseph Stalin", "Leon Trotsky"];
const MAC: &[&str] = &["Douglas MacArthur", "Harry S. Truman"];

/// (name, row, figures, cells, expected outcome). The row is split into
/// `cells` cells with `figures` as the document's figures.
#[rustfmt::skip]
const TABLE: &[(&str, &str, &[&str], usize, Expect)] = &[
    // The two rows of the bug report.
    ("lowercase de after MacArthur", "OpponentMacArthur's armyde Gaulle's France", STALIN, 3, Uncertain),
    ("lowercase iPod", "DevicesiPod 2Android", STALIN, 3, Uncertain),
    ("MacArthur among the figures", "OpponentDouglas MacArthurHarry S. Truman", MAC, 3,
        Cells(&["Opponent", "Douglas MacArthur", "Harry S. Truman"])),
    ("MacArthur not among the figures", "OpponentDouglas MacArthurHarry S. Truman", STALIN, 3,
        Cells(&["Opponent", "Douglas MacArthur", "Harry S. Truman"])),
    ("MacArthur alone", "OpponentMacArthurTruman", STALIN, 3, Cells(&["Opponent", "MacArthur", "Truman"])),
    ("McDonald's", "FounderMcDonald'sBurger King", STALIN, 3, Cells(&["Founder", "McDonald's", "Burger King"])),
    // The seed's rows.
    ("seed role", "Role in Russian RevolutionKey figure in Bolshevik RevolutionAlso played a significant role in the revolution", STALIN, 3,
        Cells(&["Role in Russian Revolution", "Key figure in Bolshevik Revolution", "Also played a significant role in the revolution"])),
    ("seed ideology", "Political ideologyCommunism, StalinismTrotskyism, Marxism", STALIN, 3,
        Cells(&["Political ideology", "Communism, Stalinism", "Trotskyism, Marxism"])),
    ("seed style, e before a capital", "Leadership styleAuthoritarian, centralized controlMore democratic, decentralized control", STALIN, 3,
        Cells(&["Leadership style", "Authoritarian, centralized control", "More democratic, decentralized control"])),
    ("seed foreign policy", "Foreign policyFocused on expanding Soviet influenceAdvocated for worldwide revolution", STALIN, 3,
        Cells(&["Foreign policy", "Focused on expanding Soviet influence", "Advocated for worldwide revolution"])),
    ("seed economic policies", "Economic policiesImplemented Five-Year Plans, collectivizationAdvocated for rapid industrialization", STALIN, 3,
        Cells(&["Economic policies", "Implemented Five-Year Plans, collectivization", "Advocated for rapid industrialization"])),
    // The fixtures' rows.
    ("a year before a capital", "Main role in 1917Leader of the Bolshevik PartyChairman of the Petrograd Soviet", STALIN, 3,
        Cells(&["Main role in 1917", "Leader of the Bolshevik Party", "Chairman of the Petrograd Soviet"])),
    ("Das Kapital", "Best-known workDas KapitalThe Condition of the Working Class in England", &["Karl Marx", "Friedrich Engels"], 3,
        Cells(&["Best-known work", "Das Kapital", "The Condition of the Working Class in England"])),
    ("digits glued to digits", "Born5 May 181828 November 1820", &["Karl Marx", "Friedrich Engels"], 3, TooFew),
    ("hyphenated places", "Foreign policySigned the Treaty of Brest-LitovskNegotiated at Brest-Litovsk, then backed world revolution", STALIN, 3,
        Cells(&["Foreign policy", "Signed the Treaty of Brest-Litovsk", "Negotiated at Brest-Litovsk, then backed world revolution"])),
    // Name particles and prefixes.
    ("DiCaprio and De Niro", "ActorDiCaprioDe Niro", STALIN, 3, Cells(&["Actor", "DiCaprio", "De Niro"])),
    ("LaGuardia and a two-letter name", "MayorFiorello LaGuardiaEd Koch", STALIN, 3, Cells(&["Mayor", "Fiorello LaGuardia", "Ed Koch"])),
    ("a lowercase de", "PainterGeorges de La TourAnthony van Dyck", STALIN, 3,
        Cells(&["Painter", "Georges de La Tour", "Anthony van Dyck"])),
    ("a cell starting with von", "Rocket scientistvon BraunKorolev", STALIN, 3, TooFew),
    ("a cell ending in a particle word", "MonumentBig BenThe Eiffel Tower", STALIN, 3, Uncertain),
    ("DeGaulle glued", "RivalDeGaulleChurchill", STALIN, 3, Cells(&["Rival", "DeGaulle", "Churchill"])),
    ("two-letter surnames", "SuccessorHu JintaoXi Jinping", STALIN, 3, Cells(&["Successor", "Hu Jintao", "Xi Jinping"])),
    // A lowercase letter before a capital.
    ("iPhone after a capital", "DeviceiPhoneGalaxy", STALIN, 3, Uncertain),
    ("iOS spaced", "SystemApple iOS and macOSGoogle’s Android", STALIN, 3, Uncertain),
    ("iOS inside a cell", "SystemApple iOS 17Google Android", STALIN, 3, Cells(&["System", "Apple iOS 17", "Google Android"])),
    ("eBay", "StoreeBayAmazon", STALIN, 3, Uncertain),
    ("mRNA", "Vaccine typemRNA vaccineViral vector", STALIN, 3, Uncertain),
    ("an acronym glued to a capitalised word", "Vaccine typemRNAViral vector", STALIN, 3, TooFew),
    ("macOS", "Operating systemmacOS 14Windows 11", STALIN, 3, Uncertain),
    ("a word ending in i", "Ally of MussoliniAdolf HitlerFranco", STALIN, 3, Uncertain),
    ("kWh after a number", "Energy output500 kWh5 MWh", STALIN, 3, Cells(&["Energy output", "500 kWh", "5 MWh"])),
    // Known mixed-case words.
    ("YouTube", "Video siteYouTubeVimeo", STALIN, 3, Cells(&["Video site", "YouTube", "Vimeo"])),
    ("HarperCollins", "PublisherHarperCollinsPenguin Random House", STALIN, 3,
        Cells(&["Publisher", "HarperCollins", "Penguin Random House"])),
    ("WikiLeaks", "LeakWikiLeaks cablesPentagon Papers", STALIN, 3, Cells(&["Leak", "WikiLeaks cables", "Pentagon Papers"])),
    // Codes, digits and abbreviations.
    ("G7 after a capital word", "MembershipNATO, EU and G7The Warsaw Pact", STALIN, 3,
        Cells(&["Membership", "NATO, EU and G7", "The Warsaw Pact"])),
    ("a code at the start of a cell", "Summit hostG7 in 1975G20 in 2008", STALIN, 3, Uncertain),
    ("MiG-21 and F-16", "Aircraft flownF-16 FalconMiG-21", STALIN, 3, Cells(&["Aircraft flown", "F-16 Falcon", "MiG-21"])),
    ("chemical formulas with digits", "Chemical formulaCO2H2O", STALIN, 3, Uncertain),
    ("NGOs", "Support groupsNGOs and unionsThe army", STALIN, 3, Cells(&["Support groups", "NGOs and unions", "The army"])),
    ("PhDs", "DegreesTwo PhDsAn MBA", STALIN, 3, Cells(&["Degrees", "Two PhDs", "An MBA"])),
    ("inch marks", "Height5'7\"5'11\"", STALIN, 3, Uncertain),
    ("an inch mark and a quotation", "Height5'7\"\"Tall\" man", STALIN, 3, Uncertain),
    ("acronyms and initials", "RivalThe U.S.A. and NATO alliesThe USSR", STALIN, 3,
        Cells(&["Rival", "The U.S.A. and NATO allies", "The USSR"])),
    ("an acronym before a capital", "RivalThe U.S.A. and NATOThe USSR", STALIN, 3, Uncertain),
    ("an acronym before a lowercase cell", "Main allyUSSRde Gaulle's France", STALIN, 3, TooFew),
    ("ships", "Navy shipUSS EnterpriseHMS Hood", STALIN, 3, Cells(&["Navy ship", "USS Enterprise", "HMS Hood"])),
    ("a Roman numeral before a capital", "RoleKing Louis XIVThe Sun King", STALIN, 3, Uncertain),
    // Apostrophes, quotes and brackets.
    ("O’Brien and d’Estaing", "FriendO’Brien and d’EstaingA small circle", STALIN, 3,
        Cells(&["Friend", "O’Brien and d’Estaing", "A small circle"])),
    ("a glued elision", "Rivald'Estaing's partyMitterrand", STALIN, 3, Uncertain),
    ("a curly glued elision", "Rivald’EstaingMitterrand", STALIN, 3, Uncertain),
    ("a spaced elision", "RivalValéry Giscard d’EstaingFrançois Mitterrand", STALIN, 3,
        Cells(&["Rival", "Valéry Giscard d’Estaing", "François Mitterrand"])),
    ("plural possessives", "PartyWorkers’ PartyPeople’s Party", STALIN, 3, Cells(&["Party", "Workers’ Party", "People’s Party"])),
    ("a plural possessive before a capital", "Partyworkers’People’s Party", STALIN, 3, TooFew),
    ("quotes", "Slogan\"Socialism in One Country\"\"Permanent Revolution\"", STALIN, 3,
        Cells(&["Slogan", "\"Socialism in One Country\"", "\"Permanent Revolution\""])),
    ("curly quotes and one-letter words", "Famous lineI, Claudius“A Tale of Two Cities”", STALIN, 3,
        Cells(&["Famous line", "I, Claudius", "“A Tale of Two Cities”"])),
    ("brackets", "Army(Red Army) Not a Commander[Founded It]", STALIN, 3, Cells(&["Army", "(Red Army) Not a Commander", "[Founded It]"])),
    // Letters beyond ASCII.
    ("non-ASCII capitals", "BirthplaceŁódźÆrø", STALIN, 3, Cells(&["Birthplace", "Łódź", "Ærø"])),
    ("non-ASCII words", "HometownÉmile's ParisÑuñoa, Chile", STALIN, 3, Cells(&["Hometown", "Émile's Paris", "Ñuñoa, Chile"])),
    // Hyphens and Arabic articles.
    ("al- at the start of a cell", "Rivalal-AssadErdoğan", STALIN, 3, TooFew),
    ("al- inside a cell", "RivalBashar al-AssadRecep Tayyip Erdoğan", STALIN, 3,
        Cells(&["Rival", "Bashar al-Assad", "Recep Tayyip Erdoğan"])),
    ("a lowercase cell", "Nicknamethe Iron LadyUncle Joe", STALIN, 3, TooFew),
    // Rows with more places than cells.
    ("ambiguous", "StyleBold AndStrong and QuietCalm", STALIN, 3, Ambiguous),
    ("four cells", "Main opponentDouglas MacArthurHarry S. TrumanJoseph Stalin", STALIN, 4,
        Cells(&["Main opponent", "Douglas MacArthur", "Harry S. Truman", "Joseph Stalin"])),
    // Counterexamples the properties found, kept as they were found.
    ("found: an acronym before a lowercase cell", "MacAAźåAA", STALIN, 3, Uncertain),
    ("found: a year before a one-letter word", "FocusedFocused in 1917A", STALIN, 3, Uncertain),
    ("found: a year before a two-letter word", "FocusedFocused in 1917A new", STALIN, 3, Uncertain),
    ("found: a lone a before a capital", "FocusedFocused aFocused", STALIN, 3, Uncertain),
    ("found: a full stop after a possessive", "People’s.FocusedFocused", STALIN, 3,
        Cells(&["People’s.", "Focused", "Focused"])),
    ("found: a unit after a number", "0 kWhO’Aaa 5kWhiA", STALIN, 3, Uncertain),
    ("found: a code before a lowercase elision",
        "watchOS - YouTube E-4, le Avcwijsaz589 kHz - İöñçó (McCarthy Q-91T) - 630AXdell’Mgbwetqf and Twz'sJth-Qb - Qnbjh.E447, 4x3 - PlayStation?",
        STALIN, 5, Uncertain),
    ("found: a quotation opened after a number",
        "E\u{301}t “O’Brien”/C. J. K. Lklv - WPY7616.(3 Tdu 0912) and 5 Qqepgzwyh 9119\"L9 Tq\"; D. OVE11.iIL R./bin-Toh - \"GitHub\"",
        STALIN, 4, Uncertain),
];

/// Counterexamples the properties found that no rule can tell from a cell
/// boundary: the generator leaves such rows out (see `beyond_the_rules`),
/// and the limits on [`split_places`] name them.
const BEYOND_THE_RULES: &[(&str, &[&str])] = &[
    (
        "a word ending in a glued capital before an acronym",
        &["Aa IoT", "AA", "\"Aa\""],
    ),
    (
        "a word ending in a glued capital before a number",
        &["Aa IoT", "0A \"0 kWh\"", "Jean-Marie Le Pen"],
    ),
    (
        "a word ending in a glued capital before a lowercase cell",
        &["Degree", "PhD", "expanded influence"],
    ),
    (
        "found: a word ending in a glued capital before As",
        &["Aaa IoT", "As 0x0", "Aaa"],
    ),
    (
        "a code ending in a capital before a lowercase cell",
        &["Network", "5G", "expanded coverage"],
    ),
];

#[test]
fn the_limits_are_left_out_of_the_generator() {
    for (name, cells) in BEYOND_THE_RULES {
        assert!(beyond_the_rules(&strings(cells)), "{name}: {cells:?}");
    }
}

#[test]
fn realistic_rows_split_exactly_or_are_refused() {
    assert!(TABLE.len() >= 40);
    let mut failures = Vec::new();
    for (name, row, figures, cells, expect) in TABLE {
        let got = split_row(row, *cells, &strings(figures));
        let ok = match (&got, expect) {
            (Ok((cells, Separator::Glued)), Cells(want)) => cells == want,
            (Err(SplitError::Uncertain { .. }), Uncertain) => true,
            (Err(SplitError::TooFewPlaces { .. }), TooFew) => true,
            (Err(SplitError::Ambiguous { .. }), Ambiguous) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: {row:?} gave {got:?}, expected {expect:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Name prefixes and particles the generator glues to a random capital.
const PREFIXES: &[&str] = &[
    "Mac", "Mc", "De", "Di", "Da", "Du", "Del", "Della", "Des", "Dos", "Das", "La", "Le", "Van",
    "Vander", "Von", "Fitz", "Ter", "Ten", "St", "Al", "El", "Ben", "Bin", "Ap", "Abu", "Ibn",
];

/// Hard pieces of real text, each a word or a few.
#[rustfmt::skip]
const HARD: &[&str] = &[
    "de Gaulle's France", "de Gaulle", "iPod 2", "iPhone", "iOS", "von Braun", "van der Waals",
    "e.g. Stalin", "e.g.", "i.e.", "etc.", "al-Assad", "al-Qaeda", "bin Laden", "ibn Saud",
    "d'Estaing", "d’Estaing", "l'Ouverture", "l’Ouverture", "dell’Acqua", "O'Brien", "O’Brien",
    "D'Artagnan", "workers'", "workers’", "Marx’", "Stalin’s", "Stalin's", "Five-Year",
    "Brest-Litovsk", "F-16", "F-16A", "Jean-Paul", "D.", "J. R. R. Tolkien", "Harry S. Truman",
    "U.S.A.", "U.S.", "Ph.D.", "PhD", "PhDs", "USSR", "USSR’s", "NATO's", "NATO", "UN", "EU",
    "NGOs", "MPs", "A", "I", "a", "AI", "IoT", "GmbH", "Émile", "Łódź", "Ærø", "Ñuñoa", "İstanbul",
    "Øresund", "São Paulo", "Zürich", "Erdoğan", "1917", "5 May 1818", "28 November 1820", "1990s",
    "20th", "G7", "F16", "CO2", "H2O", "A380", "MiG21", "MiG-21", "3DS", "100BC", "44 BC", "1A",
    "i7", "4x4", "500 kWh", "50 kHz", "10 MWh", "5 GHz", "5kWh", "5'7\"", "6′2″", "50%", "3.5",
    "No. 1", "a.m.", "World War I", "Louis XIV", "Plan B", "Vitamin D", "McCarthy", "MacArthur",
    "Douglas MacArthur", "Big Mac", "Top Ten",
];

/// The figures of a generated row, with hard names.
const FIGURE_SETS: &[&[&str]] = &[
    &["Joseph Stalin", "Leon Trotsky"],
    &["Douglas MacArthur", "Charles de Gaulle"],
    &["Harry S. Truman", "Joseph McCarthy", "Bashar al-Assad"],
    &["Émile Zola", "Łukasz Kowalski"],
    &["Jean-Marie Le Pen", "Valéry Giscard d’Estaing"],
    &[
        "Leonardo DiCaprio",
        "Fiorello LaGuardia",
        "Xi Jinping",
        "Benito Mussolini",
    ],
];

/// One word, or a few, of a hostile kind.
fn word(figures: Vec<String>) -> BoxedStrategy<String> {
    let capital = prop_oneof!["[A-Z][a-z]{0,8}", "[A-Z]{2,3}"];
    let mut names: Vec<String> = Vec::new();
    for figure in &figures {
        names.push(figure.clone());
        for part in name_parts(figure) {
            names.push(part.to_string());
            names.push(format!("{part}’s"));
            names.push(format!("{part}'s"));
        }
    }
    // Plain words are the most common, so that many rows have exactly as
    // many certain places as cells to separate, where a false one would
    // show as a wrong split.
    prop_oneof![
        16 => "[A-Z][a-z]{1,8}",
        16 => "[a-z]{1,9}",
        1 => "[A-Z][a-z]",
        4 => select(HARD).prop_map(String::from),
        // Prefix or particle glued to a capital: MacXyz, DeQrs, FitzBaz.
        1 => (select(PREFIXES), capital.clone()).prop_map(|(p, w)| format!("{p}{w}")),
        // `i` glued to a capital or digits: iXyz, iOS, i7.
        1 => prop_oneof!["[A-Z][a-z]{0,8}", "[A-Z]{2,3}", "[0-9]{1,2}"].prop_map(|w| format!("i{w}")),
        1 => select(MIXED_CASE_WORDS).prop_map(String::from),
        // Acronyms, plurals and possessives.
        1 => "[A-Z]{2,5}(s|’s|'s)?",
        // Codes and numbers.
        1 => "[A-Z]{1,3}[0-9]{1,4}",
        1 => "[0-9]{1,3}[A-Z]{1,3}",
        1 => "[0-9]{1,4}",
        1 => "[A-Z]-[0-9]{1,3}[A-Z]?",
        1 => "[0-9]x[0-9]",
        1 => "[0-9]{1,2} [A-Z][a-z]{2,8} [0-9]{4}",
        1 => "[0-9]{1,4} (kWh|MWh|kHz|GHz|kPa|mAh)",
        // Letters beyond ASCII, composed and decomposed.
        1 => "[ÉŁÆÑØÅÜÖÇİ][a-zéłæñøåüöçźóğ]{1,8}",
        1 => "[a-zéłæñøåüöçźóğ]{1,8}",
        1 => "E\u{301}[a-z]{1,6}",
        // Hyphens and articles.
        1 => "[A-Z][a-z]{1,6}-[A-Z][a-z]{1,6}",
        1 => "(al|el|ad|as|ibn|bin)-[A-Z][a-z]{2,6}",
        1 => "(de|von|van|der|da|di|du|le|la|bin|ibn|ter) [A-Z][a-z]{2,8}",
        // Apostrophes: possessives, plurals, elisions.
        1 => "[A-Z][a-z]{1,8}['’]s",
        1 => "[a-z]{1,8}s['’]",
        1 => "(d|l|dell|O|D)['’][A-Z][a-z]{2,8}",
        // Initials.
        1 => "([A-Z]\\. ){1,3}[A-Z][a-z]{2,8}",
        1 => "[A-Z]\\.",
        // The figures' names and their parts.
        1 => select(names),
    ]
    .boxed()
}

/// A word, or a few in balanced quotes or brackets.
fn piece(figures: Vec<String>) -> BoxedStrategy<String> {
    let inner = prop::collection::vec(word(figures.clone()), 1..4).prop_map(|w| w.join(" "));
    prop_oneof![
        3 => word(figures),
        1 => (select(&[("\"", "\""), ("“", "”"), ("(", ")"), ("[", "]")][..]), inner)
            .prop_map(|((open, close), text)| format!("{open}{text}{close}")),
    ]
    .boxed()
}

/// A cell: pieces joined by spaces, commas, slashes or dashes, maybe ending
/// in a full stop, `!` or `?`.
fn cell(figures: Vec<String>) -> BoxedStrategy<String> {
    let joiner = select(&[" ", " ", ", ", " and ", "; ", "/", " - "][..]);
    // Half the cells begin with a plain capitalised word, the rest with any
    // piece, most of which a glued row cannot show the start of.
    let first = prop_oneof!["[A-Z][a-z]{2,8}".boxed(), piece(figures.clone())];
    (
        first,
        prop::collection::vec((joiner, piece(figures)), 0..4),
        select(&["", "", "", ".", "!", "?"][..]),
    )
        .prop_map(|(first, rest, end)| {
            let mut text = first;
            for (joiner, piece) in rest {
                text.push_str(joiner);
                text.push_str(&piece);
            }
            text + end
        })
        .boxed()
}

/// The figures of a row and its cells: an attribute and 2-4 values.
fn hostile_row() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    select(FIGURE_SETS).prop_flat_map(|figures| {
        let figures = strings(figures);
        (
            Just(figures.clone()),
            prop::collection::vec(cell(figures), 3..=5),
        )
    })
}

/// Realistic cells that always show where they begin: a capitalised word,
/// then lowercase words, maybe a year at the end.
fn plain_row() -> impl Strategy<Value = Vec<String>> {
    const CAPITALISED: &[&str] = &[
        "Focused",
        "Advocated",
        "Implemented",
        "Leader",
        "Chairman",
        "Signed",
        "Foreign",
        "Economic",
        "Role",
        "Party",
        "Key",
        "Communism",
        "Trotskyism",
        "More",
        "Authoritarian",
        "The",
        "Another",
        "Émile",
        "Łódź",
        "Style",
        "Negotiated",
        "War",
        "Head",
        "People’s",
    ];
    const LOWER: &[&str] = &[
        "policy",
        "on",
        "expanding",
        "influence",
        "for",
        "worldwide",
        "revolution",
        "the",
        "of",
        "and",
        "rapid",
        "industrialization",
        "control",
        "centralized",
        "style",
        "figure",
        "in",
        "played",
        "significant",
        "role",
        "workers’",
        "Soviet",
        "Five-Year",
        "Plans",
    ];
    let cell = (
        select(CAPITALISED),
        prop::collection::vec((select(&[" ", ", "][..]), select(LOWER)), 0..5),
        prop::option::of(select(&[" in 1917", " since 1924", "."][..])),
    )
        .prop_map(|(first, rest, end)| {
            let mut text = first.to_string();
            for (joiner, w) in rest {
                text.push_str(joiner);
                text.push_str(w);
            }
            text + end.unwrap_or("")
        });
    prop::collection::vec(cell, 3..=5)
}

/// The splitter's answer for glued `cells`: `Err` with the reason when it
/// splits them into anything but themselves.
fn check_glued(cells: &[String], figures: &[String]) -> Result<bool, String> {
    let row = cells.concat();
    match split_row(&row, cells.len(), figures) {
        Ok((got, Separator::Glued)) if got == cells => Ok(true),
        Ok(other) => Err(format!("{row:?} was split into {other:?}, not {cells:?}")),
        Err(_) => Ok(false),
    }
}

/// Whether glued `cells` have a shape the rules cannot tell from a cell
/// boundary (see the limits on [`split_places`]): a cell ending in a capital
/// glued to a lowercase letter (`PhD`, `IoT`) before a cell that begins with
/// a letter or digit but not a capitalised word, as `PhDexpanded` reads like
/// `policyFocused`, `IoTUSSR` like `allyUSSR` and `IoT5G` like `hostG7` (nor
/// `As`, `Is` or `Us`: `IoTAs` reads like `allyNGOs`),
/// and such a word with a plural `s` (`PhDs`) before a cell that begins in
/// lowercase; or a capital glued to a digit (`5G`, `F-16A`) before a cell
/// that begins in lowercase, as `5Gexpanded` reads like `1917Leader`.
/// Two glued numbers whose digits make a run of four, cut other than two
/// and two (`211|1`).
fn unequal_four_digits(cells: &[String]) -> bool {
    cells.windows(2).any(|pair| {
        let before = pair[0]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        let after = pair[1].chars().take_while(char::is_ascii_digit).count();
        before > 0 && after > 0 && before + after == 4 && before != 2
    }) || cells.windows(2).any(|pair| {
        // Four digits after a cell of a script without spaces: the place
        // between the two cells shows nothing, and the digits read 2+2.
        pair[1].len() == 4
            && pair[1].chars().all(|c| c.is_ascii_digit())
            && pair[0]
                .chars()
                .last()
                .is_some_and(crate::document::is_spaceless)
    })
}

fn beyond_the_rules(cells: &[String]) -> bool {
    cells.windows(2).any(|pair| {
        let end: Vec<char> = pair[0].chars().rev().take(3).collect();
        let next: Vec<char> = pair[1].chars().take(3).collect();
        // `As`, `Is` and `Us` do not count: `IoTAs` reads like `allyNGOs`.
        let two_letter_s_word =
            next.get(1) == Some(&'s') && !next.get(2).is_some_and(|c| c.is_alphabetic());
        let capitalised_next = next[0].is_uppercase()
            && next.get(1).is_some_and(|c| c.is_lowercase())
            && !two_letter_s_word;
        let glued_capital = |capital: usize, before: fn(char) -> bool| {
            end.len() > capital + 1 && end[capital].is_uppercase() && before(end[capital + 1])
        };
        // A cell that begins with `0` after a digit (`+1` then `0VI`): the
        // zero reads as the number's own (`+10`), and no reader tells.
        (end[0].is_ascii_digit() && next[0] == '0')
            || (glued_capital(0, char::is_lowercase)
                && next[0].is_alphanumeric()
                && !capitalised_next)
            || (glued_capital(0, |c| c.is_ascii_digit()) && next[0].is_lowercase())
            || (end[0] == 's' && glued_capital(1, char::is_lowercase) && next[0].is_lowercase())
    })
}

proptest! {
    // Counterexamples are kept by hand in `TABLE`, not in a file; about one
    // hostile row in a hundred is beyond the rules and rejected.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        max_global_rejects: u32::MAX,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_glued_rows_split_exactly_or_are_refused((figures, cells) in hostile_row()) {
        prop_assume!(!beyond_the_rules(&cells));
        check_glued(&cells, &figures).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn plain_glued_rows_always_split_exactly(cells in plain_row()) {
        let row = cells.concat();
        let got = split_row(&row, cells.len(), &strings(STALIN));
        prop_assert_eq!(got, Ok((cells, Separator::Glued)));
    }

    #[test]
    fn separated_rows_come_back_exactly((figures, cells) in hostile_row(), tab in any::<bool>()) {
        let separator = if tab { Separator::Tab } else { Separator::Pipe };
        let row = cells.join(separator.as_str());
        prop_assert_eq!(split_row(&row, cells.len(), &figures), Ok((cells, separator)));
    }
}

/// The properties hold trivially for a splitter that refuses everything:
/// check that hostile rows still split often enough to mean something.
#[test]
fn many_hostile_rows_still_split() {
    let mut runner = TestRunner::deterministic();
    let strategy = hostile_row();
    let (mut split, total) = (0, 2000);
    for _ in 0..total {
        let (figures, cells) = strategy.new_tree(&mut runner).unwrap().current();
        if !beyond_the_rules(&cells) {
            split += usize::from(check_glued(&cells, &figures).unwrap());
        }
    }
    assert!(split * 4 >= total, "only {split} of {total} rows split");
}

/// Cells of the shapes the evidence weighs: lowercase starts, numbers glued
/// to numbers, units, dates, roman numerals, words with capitals inside,
/// other scripts.
fn weighed_cell() -> BoxedStrategy<String> {
    prop_oneof![
        3 => cell(strings(STALIN)),
        1 => "[a-z]{3,9}( [a-z]{2,9}){0,3}",
        1 => "[1-9][0-9]{0,3}",
        1 => "1[5-9][0-9]{2}",
        1 => "[1-9][0-9]{0,2} (kg|lb|cm|m|°C|km)",
        1 => "[1-9][0-9]? (January|March|June|October) 1[6-9][0-9]{2}",
        1 => "(Louis|Henry|Charles|George) (II|III|IV|XIV|VIII)",
        1 => "(iPhone|TypeScript|JavaScript|PostgreSQL|BigInt|PyTorch|McDonald's)( [0-9])?",
        1 => "[αβγδεζηθικλμνξοπρστυφχψω]{3,8}",
        1 => "[ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ][αβγδεζηθικλμνξοπρστυφχψω]{2,8}",
        1 => "[一-龥]{2,5}",
        1 => "[ぁ-ん]{2,6}",
        // Numbers with the units and dates of scripts without spaces, and
        // their brackets and lists.
        1 => "[1-9][0-9]{0,3}(年|歳|月|日|人|代)",
        1 => "1[5-9][0-9]{2}年[1-9]月[1-9][0-9]?日(（[一-龥]{2,4}）)?",
        1 => "[一-龥]{2,4}（1[5-9][0-9]{2}年）",
        1 => "[一-龥]{2,4}、[一-龥]{2,4}",
        // Lists whose items end alike (`岐阜城、安土城`), as the splitter
        // reads the end of an item there.
        1 => "[一-龥]{1,3}(城|の戦い)、[一-龥]{1,3}(城|の戦い)",
        // Answers, lists, brackets, quotes, articles and names glued to
        // each other, as real tables have them.
        1 => "(yes|no|none|Yes|No|both)( \\([1-9][0-9]{3}\\)| \\([A-Z][a-z]{2,6}\\))?",
        1 => "[A-Z][a-z]{1,7}(-[A-Z])?(, [A-Z][a-z]{1,7}){1,3}",
        1 => "[a-z]{2,8}(, [a-z]{2,8}){1,3}",
        1 => "[1-9][0-9]{0,2} \\([A-Z]{2,4}\\)",
        1 => "(about|at least|a|the) [a-z]{2,8}( \\([A-Z][a-z]{2,6}\\))?",
        1 => "\"[A-Z]?[a-z]{1,6}( [a-z]{1,6}){0,2}\"",
        // Titles in guillemets, as Russian and French tables write them.
        1 => "«[А-ЯA-Z][а-яa-z]{2,6}( [а-яa-z]{1,6})?»(, «[А-ЯA-Z][а-яa-z]{2,6}»)?",
        // (A word glued to a lone `I`, `AaaI`, is left out: the certain
        // places split it as the pronoun `I`, even where the prose writes
        // it whole; a known limit, not of the evidence.)
        1 => "[A-Z][a-z]{2,7}( (II|III|IV|[A-Z]{2,3}))?( [A-Z][a-z]{2,7})?",
        1 => "(\\+[1-9][0-9]{0,2}|\\.[a-z]{2,3})",
        1 => "[1-9][0-9]?/[1-9][0-9]?",
    ]
    .boxed()
}

/// Weighed cells, sometimes with the last value repeating the one before
/// (`paw pads only` twice, `+1+1`), as tables do when the figures agree.
fn weighed_cells(count: std::ops::RangeInclusive<usize>) -> BoxedStrategy<Vec<String>> {
    (prop::collection::vec(weighed_cell(), count), any::<u8>())
        .prop_map(|(mut cells, dice)| {
            let n = cells.len();
            if dice % 4 == 0 && n >= 3 {
                cells[n - 1] = cells[n - 2].clone();
            }
            cells
        })
        .boxed()
}

/// Whether `cell` holds a word with a capital after a lowercase letter that
/// is not one of the known mixed-case words.
fn unknown_camel(cell: &str) -> bool {
    cell.split(|c: char| !c.is_alphanumeric()).any(|word| {
        let chars: Vec<char> = word.chars().collect();
        chars
            .windows(2)
            .any(|w| w[0].is_lowercase() && w[1].is_uppercase())
            && !MIXED_CASE_WORDS.contains(&word)
    })
}

/// What the evidence of `prose` decides for the row that `cells` glued
/// together, with `figures` as the document's figures.
fn decide_glued(cells: &[String], prose: &str, figures: &[String]) -> crate::document::Decision {
    let evidence = crate::document::Evidence::new(vec![prose], Vec::new(), figures);
    crate::document::decide(&cells.concat(), cells.len(), &evidence)
}

proptest! {
    // Rows beyond the rules are rejected, and the glued shapes make more
    // of them: many rejects are expected.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        max_global_rejects: u32::MAX,
        ..ProptestConfig::default()
    })]

    /// The evidence never splits a row other than as it was glued, whether
    /// the prose repeats the cells (as real documents do) or says nothing.
    #[test]
    fn weighed_rows_split_exactly_or_are_kept(
        cells in weighed_cells(3..=4),
        prose_repeats in any::<bool>(),
        one_sentence in any::<bool>(),
    ) {
        let figures: Vec<String> = strings(&["Joseph Stalin", "Leon Trotsky", "Bob Ray"])
            [..cells.len() - 1]
            .to_vec();
        let row = cells.concat();
        prop_assume!(!crate::document::is_separated(&row));
        // Beyond the rules (see `split_places`): a word with a capital inside
        // that neither the known words nor the prose have (`BigInt`) reads
        // like two cells. Written in the prose, it must be seen.
        prop_assume!(prose_repeats || !cells.iter().any(|c| unknown_camel(c)));
        prop_assume!(!beyond_the_rules(&cells));
        // By design (docs/FORMAT.md): four digits between two numbers after an
        // attribute of known words read as two numbers of two digits, as a
        // reader reads `Age at coronation2518`; 211|1 there is read wrong
        // unless the prose writes the numbers.
        prop_assume!(prose_repeats || !unequal_four_digits(&cells));
        // The cells as sentences, or as one sentence, where a number stands
        // beside the attribute's words as `nine symphonies` does.
        let prose = match (prose_repeats, one_sentence) {
            (false, _) => String::new(),
            (true, false) => cells.join(". "),
            (true, true) => cells.join(" "),
        };
        if let crate::document::Decision::Split(got) = decide_glued(&cells, &prose, &figures) {
            prop_assert_eq!(got, cells, "row {:?}", row);
        }
    }
}

/// The property above holds trivially for a splitter that keeps every row:
/// check that weighed rows whose prose repeats their cells still split.
#[test]
fn many_weighed_rows_still_split() {
    let mut runner = TestRunner::deterministic();
    let strategy = weighed_cells(3..=3);
    let figures = strings(&["Joseph Stalin", "Leon Trotsky"]);
    let (mut split, mut total) = (0, 0);
    for _ in 0..1000 {
        let cells = strategy.new_tree(&mut runner).unwrap().current();
        let row = cells.concat();
        if crate::document::is_separated(&row) || beyond_the_rules(&cells) {
            continue;
        }
        total += 1;
        let prose = cells.join(". ");
        if decide_glued(&cells, &prose, &figures) == crate::document::Decision::Split(cells) {
            split += 1;
        }
    }
    assert!(
        split * 2 >= total,
        "only {split} of {total} weighed rows split"
    );
}

/// A word of the Japanese list, of one to four characters: real words, so
/// that the word list cannot tell cells apart by words it does not know.
fn japanese_word() -> BoxedStrategy<String> {
    let all = crate::document::lexicon::japanese::all();
    (0..all.len())
        .prop_filter_map("one to four characters", move |n| {
            let word = all[n];
            (1..=4)
                .contains(&word.chars().count())
                .then(|| word.to_string())
        })
        .boxed()
}

/// A Japanese cell as tables write them: words, words joined by a
/// particle, lists whose items end alike or not, dates and ages, a note in
/// brackets, a figure's name before a word.
fn japanese_cell() -> BoxedStrategy<String> {
    let word = japanese_word;
    prop_oneof![
        2 => word(),
        2 => (word(), word()).prop_map(|(a, b)| format!("{a}{b}")),
        1 => (word(), select(vec!["の", "な", "を", "と"]), word())
            .prop_map(|(a, p, b)| format!("{a}{p}{b}")),
        2 => (prop::collection::vec(word(), 2..=4), select(vec!["", "城", "の戦い", "国", "守"]))
            .prop_map(|(items, end)| items.iter().map(|i| format!("{i}{end}")).collect::<Vec<_>>().join("、")),
        1 => (1500u32..2000, 1u32..=12, 1u32..=28, prop::option::of(word()))
            .prop_map(|(y, m, d, place)| match place {
                Some(place) => format!("{y}年{m}月{d}日、{place}"),
                None => format!("{y}年{m}月{d}日"),
            }),
        1 => (1u32..100, select(vec!["歳", "年", "人"])).prop_map(|(n, u)| format!("{n}{u}")),
        1 => (word(), word()).prop_map(|(a, b)| format!("{a}（{b}）")),
        1 => (select(vec!["織田", "豊臣"]), word()).prop_map(|(a, b)| format!("{a}{b}")),
        1 => "[ぁ-ん]{2,4}",
        1 => "[ァ-ン]{2,5}",
    ]
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Japanese rows of real words are split as they were glued or kept:
    /// the word list knows every word, so only the row's shape, its
    /// particles and the prose can tell the cells apart, and a row they do
    /// not settle must stay unresolved.
    #[test]
    fn japanese_rows_split_exactly_or_are_kept(
        attribute in prop_oneof![
            japanese_word(),
            (japanese_word(), japanese_word()).prop_map(|(a, b)| format!("{a}{b}")),
            (japanese_word(), japanese_word()).prop_map(|(a, b)| format!("{a}の{b}")),
        ],
        values in prop::collection::vec(japanese_cell(), 2),
        prose_repeats in any::<bool>(),
    ) {
        let figures = strings(&["織田 信長", "豊臣 秀吉"]);
        let cells: Vec<String> = std::iter::once(attribute).chain(values).collect();
        let row = cells.concat();
        let prose = if prose_repeats { cells.join("。") } else { String::new() };
        if let crate::document::Decision::Split(got) = decide_glued(&cells, &prose, &figures) {
            prop_assert_eq!(got, cells, "row {:?}", row);
        }
    }
}

/// The property above holds trivially for a splitter that keeps every
/// Japanese row: with prose that writes the cells, many must split.
#[test]
fn many_japanese_rows_still_split() {
    let mut runner = TestRunner::deterministic();
    let values = prop::collection::vec(japanese_cell(), 2);
    let figures = strings(&["織田 信長", "豊臣 秀吉"]);
    let (mut split, total) = (0, 1000);
    for _ in 0..total {
        let attribute = japanese_word().new_tree(&mut runner).unwrap().current();
        let cells: Vec<String> = std::iter::once(attribute)
            .chain(values.new_tree(&mut runner).unwrap().current())
            .collect();
        let prose = cells.join("。");
        if decide_glued(&cells, &prose, &figures) == crate::document::Decision::Split(cells) {
            split += 1;
        }
    }
    eprintln!("{split} of {total} Japanese rows split");
    assert!(
        split * 2 >= total,
        "only {split} of {total} Japanese rows split"
    );
}
