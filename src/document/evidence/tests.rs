//! The splitter's unit tests: rows a reader splits, and rows kept.

use super::*;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn decide_in(row: &str, prose: &str, figures: &[&str]) -> Decision {
    let figures = names(figures);
    let evidence = Evidence::new(vec![prose], Vec::new(), &figures);
    decide(row, figures.len() + 1, &evidence)
}

fn split(cells: &[&str]) -> Decision {
    Decision::Split(names(cells))
}

#[test]
fn words_of_the_document_settle_a_capital_after_i() {
    assert_eq!(
        decide_in(
            "Home stateMississippiTennessee",
            "Elvis was born in Mississippi; Cash grew up in Tennessee.",
            &["Elvis Presley", "Johnny Cash"]
        ),
        split(&["Home state", "Mississippi", "Tennessee"])
    );
}

#[test]
fn numbers_glued_to_numbers_split_by_their_shape() {
    let fig = &["Louis XIV", "Charles II"];
    assert_eq!(
        decide_in("Age at coronation2518", "", fig),
        split(&["Age at coronation", "25", "18"])
    );
    assert_eq!(
        decide_in("Years active19621970", "", fig),
        split(&["Years active", "1962", "1970"])
    );
    assert_eq!(
        decide_in("Boiling point100 °C78 °C", "", &["Water", "Ethanol"]),
        split(&["Boiling point", "100 °C", "78 °C"])
    );
    assert_eq!(
        decide_in(
            "Weight72 kg (159 lb)80 kg (176 lb)",
            "",
            &["Ann Lee", "Bob Ray"]
        ),
        split(&["Weight", "72 kg (159 lb)", "80 kg (176 lb)"])
    );
}

#[test]
fn lowercase_starts_need_words_on_both_sides() {
    assert_eq!(
        decide_in(
            "Servingchilled in a glasswarm in a cup",
            "Iced tea is served chilled; coffee is served warm.",
            &["Tea", "Coffee"]
        ),
        split(&["Serving", "chilled in a glass", "warm in a cup"])
    );
}

#[test]
fn a_word_the_document_writes_whole_is_never_cut() {
    match decide_in(
        "Frameworkstensorflow, kerasPyTorch",
        "Researchers moved from tensorflow to PyTorch.",
        &["Google", "Meta"],
    ) {
        Decision::Split(cells) => {
            assert_eq!(cells, ["Frameworks", "tensorflow, keras", "PyTorch"])
        }
        Decision::Unresolved(_) => {}
    }
}

#[test]
fn glued_shapes_a_reader_sees_split() {
    let fig = &["Cats", "Dogs"];
    assert_eq!(
        decide_in(
            "Sweat glandspaw pads onlypaw pads only",
            "Both sweat through their paw pads.",
            fig
        ),
        split(&["Sweat glands", "paw pads only", "paw pads only"])
    );
    assert_eq!(
        decide_in("Recognized breeds45 (CFA)about 360 (FCI)", "", fig),
        split(&["Recognized breeds", "45 (CFA)", "about 360 (FCI)"])
    );
}

#[test]
fn an_i_before_a_capital_is_no_seam() {
    // `Devicesi|Pod` was once split, the `i` taken for the end of a word.
    assert!(!matches!(
        decide_in(
            "DevicesiPod 2Android",
            "Truman and Attlee led the United States and the United Kingdom.",
            &["Harry S. Truman", "Clement Attlee"]
        ),
        Decision::Split(cells) if cells[0] != "Devices"
    ));
}

#[test]
fn nonsense_is_kept_unresolved() {
    assert!(matches!(
        decide_in("Qzxvbnmqwrtzplk", "", &["Ann Lee", "Bob Ray"]),
        Decision::Unresolved(_)
    ));
    assert!(matches!(
        decide_in(
            "OpponentMacArthur's armyde Gaulle's France",
            "",
            &["Ann Lee", "Bob Ray"]
        ),
        Decision::Unresolved(_)
    ));
}

#[test]
fn a_number_the_prose_gives_beside_the_attribute_settles_a_glued_number() {
    let fig = &["Ludwig van Beethoven", "Wolfgang Amadeus Mozart"];
    let prose = "Beethoven wrote nine symphonies, against Mozart's forty-one. \
                 Mozart's 27 piano concertos became the model.";
    assert_eq!(
        decide_in("Symphonies941", prose, fig),
        split(&["Symphonies", "9", "41"])
    );
    assert_eq!(
        decide_in("Piano concertos527", prose, fig),
        split(&["Piano concertos", "5", "27"])
    );
    // Without the prose, 9|41 and 94|1 are alike: kept.
    assert!(matches!(
        decide_in("Symphonies941", "", fig),
        Decision::Unresolved(_)
    ));
    // A number the attribute holds proves nothing (`iPhone 5` and 5).
    assert!(matches!(
        decide_in(
            "iPhone 51510",
            "The iPhone 5 sold 15 million.",
            &["Ann Lee", "Bob Ray"]
        ),
        Decision::Unresolved(_)
    ));
}

#[test]
fn numbers_of_one_size_and_marked_values_twice_split() {
    let fig = &["Cats", "Dogs"];
    assert_eq!(
        decide_in("Number of teeth (young)2628", "", fig),
        split(&["Number of teeth (young)", "26", "28"])
    );
    assert_eq!(
        decide_in("享年7553", "", &["徳川 家康", "武田 信玄"]),
        split(&["享年", "75", "53"])
    );
    assert_eq!(
        decide_in("Toes (front/back)5/45/4", "", fig),
        split(&["Toes (front/back)", "5/4", "5/4"])
    );
    assert_eq!(
        decide_in("Calling code+1+1", "", &["United States", "Canada"]),
        split(&["Calling code", "+1", "+1"])
    );
    assert_eq!(
        decide_in("Purringyesno", "", fig),
        split(&["Purring", "yes", "no"])
    );
    // A date of a script without spaces is one cell.
    assert!(!matches!(
        decide_in("死去1582年6月21日", "", &["織田 信長", "豊臣 秀吉"]),
        Decision::Split(_)
    ));
    // Nor is a decimal cut at its point.
    assert!(!matches!(
        decide_in("Ratio3.57.2", "", fig),
        Decision::Split(cells) if cells.iter().any(|c| c.ends_with('.') || c.starts_with('.'))
    ));
}

#[test]
fn a_name_after_a_seam_is_supported_by_the_word_before_it() {
    let fig = &["Napoleon", "Wellington"];
    assert_eq!(
        decide_in("ExileElba (1814), Saint Helena (1815–1821)none", "", fig),
        split(&["Exile", "Elba (1814), Saint Helena (1815–1821)", "none"])
    );
    assert_eq!(
        decide_in("MascotFerris the crabthe Gopher", "", &["Rust", "Go"]),
        split(&["Mascot", "Ferris the crab", "the Gopher"])
    );
    assert_eq!(
        decide_in(
            "Capital cityWashington, D.C.Ottawa",
            "",
            &["United States", "Canada"]
        ),
        split(&["Capital city", "Washington, D.C.", "Ottawa"])
    );
    // Two names side by side, neither known: kept.
    assert!(matches!(
        decide_in(
            "Best chainTeavanaDavidsTeaStarbucks",
            "",
            &["Tea", "Coffee"]
        ),
        Decision::Unresolved(_)
    ));
}

#[test]
fn names_glued_at_the_only_seams_split_and_a_list_item_is_a_name() {
    let fig = &["United States", "Canada"];
    // One seam for one boundary, names on both sides, one ending in
    // `i` (not `iMount`): nothing competes with the seam.
    assert_eq!(
        decide_in("Longest riverMissouriMackenzie", "", fig),
        split(&["Longest river", "Missouri", "Mackenzie"])
    );
    assert_eq!(
        decide_in("Highest peakDenaliMount Logan", "", fig),
        split(&["Highest peak", "Denali", "Mount Logan"])
    );
    assert_eq!(
        decide_in(
            "ModelsGaetano Donizetti, Vincenzo BelliniGiuseppe Verdi, Richard Wagner",
            "Puccini studied Verdi and Wagner; Verdi grew up on Bellini.",
            &["Verdi", "Puccini"]
        ),
        split(&[
            "Models",
            "Gaetano Donizetti, Vincenzo Bellini",
            "Giuseppe Verdi, Richard Wagner"
        ])
    );
    // A word before an `i`-word is no name ending in `i`.
    assert_ne!(
        decide_in("Best productWidgetsiWatch", "", &["Acme", "Apple"]),
        split(&["Best product", "Widgetsi", "Watch"])
    );
    // A capitalised item of a list is a name, not two words glued
    // (`Kings|land`): the day after `Mississippi` begins the cell.
    assert_eq!(
        decide_in(
            "Born8 January 1935, Tupelo, Mississippi26 February 1932, Kingsland, Arkansas",
            "Presley grew up in Mississippi.",
            &["Elvis Presley", "Johnny Cash"]
        ),
        split(&[
            "Born",
            "8 January 1935, Tupelo, Mississippi",
            "26 February 1932, Kingsland, Arkansas"
        ])
    );
}

#[test]
fn a_unit_before_a_number_a_value_listed_twice_and_circa_show_where_cells_meet() {
    let fig = &["Tea", "Coffee"];
    // `°C|90`: a measurement ends where a number begins.
    assert_eq!(
        decide_in("Brewing temperature70–100 °C90–96 °C", "", fig),
        split(&["Brewing temperature", "70–100 °C", "90–96 °C"])
    );
    // `Leo X` is written whole and as an item of the other list.
    assert_eq!(
        decide_in(
            "Popes he worked underLeo XJulius II, Leo X, Clement VII, Paul III",
            "Leonardo went to Rome under Leo X.",
            &["Leonardo da Vinci", "Michelangelo"]
        ),
        split(&[
            "Popes he worked under",
            "Leo X",
            "Julius II, Leo X, Clement VII, Paul III"
        ])
    );
    // `c.` is circa, so the attribute is `Born`, not `Bornc`.
    assert_eq!(
        decide_in(
            "Bornc. 428/427 BC, Athens384 BC, Stagira",
            "Plato was born in Athens; Aristotle in Stagira.",
            &["Plato", "Aristotle"]
        ),
        split(&["Born", "c. 428/427 BC, Athens", "384 BC, Stagira"])
    );
}

#[test]
fn dotted_codes_after_an_attribute_of_words_split() {
    let fig = &["Python", "JavaScript"];
    assert_eq!(
        decide_in("File extension.py.js", "", fig),
        split(&["File extension", ".py", ".js"])
    );
    // A number after an abbreviation's dot is no code; a name glued to
    // a domain is no attribute of words.
    assert!(matches!(
        decide_in("Approx.5.js", "", fig),
        Decision::Unresolved(_)
    ));
    assert!(matches!(
        decide_in("Websitegoogle.com.au", "", fig),
        Decision::Unresolved(_)
    ));
}

#[test]
fn names_with_capitals_inside_never_split_a_row_wrongly() {
    // Four seams for two boundaries: `SpiderMonkey` and `JavaScriptCore`
    // read like two words each. Kept, never split inside them.
    assert!(matches!(
        decide_in(
            "Main implementationsCPython, PyPyV8, SpiderMonkey, JavaScriptCore",
            "",
            &["Python", "JavaScript"]
        ),
        Decision::Unresolved(_)
    ));
    // Two capitals before a lowercase letter are one word when the
    // document writes it (`CPython`), two things glued when not (`AYes`).
    let document = crate::document::parse_document(include_str!(
        "../../../tests/fixtures/realistic/python-vs-javascript.txt"
    ))
    .unwrap();
    let runs_in = document.table.iter().find(|row| row.attribute == "Runs in");
    assert_eq!(
        runs_in.map(|row| (row.values.clone(), row.unresolved.is_none())),
        Some((
            names(&["CPython interpreter", "browsers and Node.js"]),
            true
        ))
    );
    // An acronym after a word is more often part of it (`FastAPI`).
    assert!(!matches!(
        decide_in(
            "Popular frameworksDjango, Flask, FastAPIReact, Angular, Express",
            "",
            &["Python", "JavaScript"]
        ),
        Decision::Split(cells) if cells[1].ends_with("Fast")
    ));
}

#[test]
fn scripts_without_spaces_split_on_list_items_and_words_of_the_prose() {
    let fig = &["織田 信長", "豊臣 秀吉"];
    // Items that end alike show where one ends and the next begins:
    // not enough alone to split, but the right reading comes first.
    assert!(matches!(
        decide_in("主な居城岐阜城、安土城大坂城、伏見城", "秀吉は伏見城で没した。", fig),
        Decision::Unresolved(readings) if readings[0] == ["主な居城", "岐阜城、安土城", "大坂城、伏見城"]
    ));
    // A date with its units and bracket is a value.
    assert_eq!(
        decide_in(
            "死去1582年6月21日（本能寺の変）1598年9月18日（伏見城）",
            "",
            fig
        ),
        split(&[
            "死去",
            "1582年6月21日（本能寺の変）",
            "1598年9月18日（伏見城）"
        ])
    );
    // Two words of the list side by side (`欣求|浄土`) and a word the prose
    // writes (`風林火山`): the reading a reader takes comes first, but the
    // words alone do not lead by the margin.
    assert!(matches!(
        decide_in(
            "旗印厭離穢土欣求浄土風林火山",
            "信玄は旗印に「風林火山」を掲げた。旗印は軍の象徴であった。",
            &["徳川 家康", "武田 信玄"]
        ),
        Decision::Unresolved(readings) if readings[0] == ["旗印", "厭離穢土欣求浄土", "風林火山"]
    ));
    // Never right after a family's name that a given name follows.
    assert!(!matches!(
        decide_in(
            "後継者織田信忠（本能寺の変で自害）豊臣秀頼",
            "織田 信長の後継者。織田家は続いた。",
            fig
        ),
        Decision::Split(cells) if cells[1] == "織田"
    ));
}

#[test]
fn japanese_rows_split_on_their_words_particles_and_shape() {
    let fig = &["織田 信長", "豊臣 秀吉"];
    let prose = "出自と若き日。信長は1534年、尾張の戦国大名織田信秀の子として生まれた。\
                 秀吉は1537年、尾張国中村の農民の家に生まれた。嫡男の信忠も討たれた。\
                 1560年の桶狭間の戦いで今川義元を破った。秀吉は後継者として主導権を握った。";
    // Never after a particle (`尾張の|戦国`) nor inside a run the prose
    // writes whole (`戦国大名織田信秀`): one reading is left, but nothing
    // shows its boundaries (words of the prose at the ends of runs did, and
    // split generated rows wrongly where kana of two kinds meet).
    assert_eq!(
        decide_in(
            "出自尾張の戦国大名織田信秀の嫡男尾張国中村の農民の子",
            prose,
            fig
        ),
        Decision::Unresolved(vec![names(&[
            "出自",
            "尾張の戦国大名織田信秀の嫡男",
            "尾張国中村の農民の子"
        ])])
    );
    // An item the prose writes as a word begins the value; lists whose
    // items all end alike meet where one item ends.
    assert_eq!(
        decide_in(
            "主な合戦桶狭間の戦い、長篠の戦い山崎の戦い、賤ヶ岳の戦い",
            prose,
            fig
        ),
        split(&[
            "主な合戦",
            "桶狭間の戦い、長篠の戦い",
            "山崎の戦い、賤ヶ岳の戦い"
        ])
    );
    // A figure's family name begins a value, a closing bracket ends one.
    assert_eq!(
        decide_in("後継者織田信忠（本能寺の変で自害）豊臣秀頼", prose, fig),
        split(&["後継者", "織田信忠（本能寺の変で自害）", "豊臣秀頼"])
    );
    // Only knowledge of the subject tells `右大臣|関白` or `三つ葉葵|武田菱`
    // apart: kept, with the right reading among the first.
    for (row, cells) in [
        (
            "最高の官職右大臣関白、太政大臣",
            ["最高の官職", "右大臣", "関白、太政大臣"],
        ),
        ("家紋三つ葉葵武田菱", ["家紋", "三つ葉葵", "武田菱"]),
    ] {
        match decide_in(row, prose, &["徳川 家康", "武田 信玄"]) {
            Decision::Unresolved(readings) => {
                assert!(readings.iter().any(|r| r == &cells), "{row}: {readings:?}")
            }
            other => panic!("{row}: {other:?}"),
        }
    }
    // Words the list writes as one are never cut apart (`太政|大臣`), nor a
    // cell begun in hiragana after a word (`江戸幕府を|開く`).
    match decide_in("官職太政大臣関白", "", fig) {
        Decision::Split(cells) => panic!("split {cells:?}"),
        Decision::Unresolved(readings) => {
            assert!(
                readings
                    .iter()
                    .all(|r| !r.iter().any(|c| c.starts_with("大臣")))
            )
        }
    }
}

#[test]
fn numbers_keep_their_prefix_dates_their_months_and_guillemets_show_cells() {
    // `約` (about) belongs to the number after it: never `人口約|1,410万人`.
    let row = "人口約1,410万人（2024年）約876万人（2024年）";
    match decide_in(row, "", &["東京", "大阪"]) {
        Decision::Split(cells) => assert_eq!(
            cells,
            ["人口", "約1,410万人（2024年）", "約876万人（2024年）"]
        ),
        Decision::Unresolved(readings) => {
            assert!(
                readings.iter().all(|r| !r[0].ends_with('約')),
                "{readings:?}"
            )
        }
    }
    // A month's name is never cut inside (`12 Sept|ember 2023`).
    match decide_in(
        "Announced12 September 202317 January 2024",
        "",
        &["Anna Bell", "Carl Dorn"],
    ) {
        Decision::Split(cells) => {
            assert_eq!(cells, ["Announced", "12 September 2023", "17 January 2024"])
        }
        Decision::Unresolved(readings) => assert!(
            readings
                .iter()
                .all(|r| !r.iter().any(|c| c.ends_with("Sept"))),
            "{readings:?}"
        ),
    }
    // Guillemets close one cell and open the next.
    assert_eq!(
        decide_in(
            "Известные поэмы«Руслан и Людмила», «Медный всадник»«Мцыри», «Демон»",
            "",
            &["Александр Пушкин", "Михаил Лермонтов"]
        ),
        split(&[
            "Известные поэмы",
            "«Руслан и Людмила», «Медный всадник»",
            "«Мцыри», «Демон»"
        ])
    );
    // A unit of a camera's sensor: two measurements alike.
    assert_eq!(
        decide_in("Front camera12 MP12 MP", "", &["Anna Bell", "Carl Dorn"]),
        split(&["Front camera", "12 MP", "12 MP"])
    );
}

#[test]
fn a_japanese_row_with_more_readings_than_a_table_has_is_kept_unweighed() {
    // 98 closing brackets, each a place a cell may end, and three figures:
    // 152,096 readings; kept as written, with no readings weighed.
    let row: String = std::iter::once("属性".to_string())
        .chain((0..98).map(|_| "大臣（関白）".to_string()))
        .collect();
    assert_eq!(
        decide_in(&row, "", &["織田 信長", "豊臣 秀吉", "徳川 家康"]),
        Decision::Unresolved(Vec::new())
    );
}
