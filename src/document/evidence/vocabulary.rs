//! The words a document offers as evidence: its prose, its separated
//! cells and its figures' names, looked up by the weighing.

use super::*;

/// The words of one document, for weighing its glued rows.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    /// Every word, lowercase, without surrounding punctuation; hyphenated
    /// words also by their parts.
    pub(super) lower: HashSet<String>,
    /// Words with a capital after a lowercase letter (`TypeScript`), as
    /// written: a boundary inside one is doubted.
    pub(super) camel: Vec<String>,
    /// The prose (summary, headings, paragraphs), lowercase, to find
    /// candidate cells written word for word.
    pub(super) prose: String,
    /// The prose's sentences as their words, made once when a number is
    /// first checked against them ([`Vocabulary::attested`]).
    pub(super) sentences: std::cell::OnceCell<Vec<Vec<String>>>,
}

impl Vocabulary {
    /// The vocabulary of the prose `texts`, the figures' `names` and the
    /// `words` of separated cells and of the glued rows' spaced words.
    pub fn new<'a>(
        prose: impl IntoIterator<Item = &'a str>,
        words: impl IntoIterator<Item = &'a str>,
        names: &'a [String],
    ) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for text in prose {
            vocabulary.prose.push_str(&text.to_lowercase());
            vocabulary.prose.push('\n');
            vocabulary.add_words(text);
        }
        for text in words.into_iter().chain(names.iter().map(String::as_str)) {
            vocabulary.add_words(text);
        }
        vocabulary
    }

    pub(super) fn add_words(&mut self, text: &str) {
        for token in text.split_whitespace() {
            let core = core(token);
            if core.is_empty() {
                continue;
            }
            if is_camel(core) && !self.camel.iter().any(|c| c == core) {
                self.camel.push(core.to_string());
            }
            let lower = core.to_lowercase();
            if lower.contains(['-', '–', '/']) {
                for part in lower.split(['-', '–', '/']).filter(|p| !p.is_empty()) {
                    self.lower.insert(part.to_string());
                }
            }
            // `Stalin's` is also `Stalin`.
            for suffix in ["'s", "’s", "'", "’"] {
                if let Some(stem) = lower.strip_suffix(suffix) {
                    self.lower.insert(stem.to_string());
                }
            }
            self.lower.insert(lower);
        }
    }

    pub(super) fn knows(&self, lower: &str) -> bool {
        self.lower.contains(lower)
    }

    /// Whether the prose gives the number `cell` (in digits, or in English
    /// words up to ninety-nine) within four words of a word of the row's
    /// `attribute`, in one sentence (`nine symphonies`, `his 27 piano
    /// concertos`), as a reader checks a glued number against the text. A
    /// word of the attribute is four letters or more and is matched by its
    /// first six (`symphon` for `Symphonies` and `symphony`).
    pub(super) fn attested(&self, cell: &str, attribute: &str) -> bool {
        let Some((n, false)) = number(cell) else {
            return false;
        };
        if cell.contains([',', '.']) {
            return false;
        }
        let stems: Vec<String> = attribute
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 4)
            .map(|w| w.to_lowercase().chars().take(6).collect())
            .collect();
        if stems.is_empty() {
            return false;
        }
        // Beside an attribute that holds numbers itself (`iPhone 5`), the
        // prose's numbers may be the attribute's.
        if attribute.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let written = number_words(n);
        let sentences = self.sentences.get_or_init(|| {
            self.prose
                .split(['.', '!', '?', ';', '\n'])
                .map(|sentence| {
                    sentence
                        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .collect()
        });
        sentences.iter().any(|words| {
            words.iter().enumerate().any(|(i, word)| {
                (word == cell || written.as_deref() == Some(word.as_str()))
                    && words[i.saturating_sub(4)..(i + 5).min(words.len())]
                        .iter()
                        .any(|w| stems.iter().any(|stem| w.starts_with(stem.as_str())))
            })
        })
    }

    /// Whether the prose writes `piece`, of a script without spaces, as a
    /// word of its own: two characters or more, and not inside a run of
    /// letters of one kind (`林火山` is inside `風林火山`; `桶狭間の戦い`
    /// before `で` is a word). Such scripts show no spaces, but a run of
    /// ideographs ends where kana, punctuation or brackets begin.
    pub(super) fn spaceless_in_prose(&self, piece: &str) -> bool {
        if piece.chars().count() < 2 {
            return false;
        }
        let (Some(first), Some(last)) = (piece.chars().next(), piece.chars().next_back()) else {
            return false;
        };
        // A piece of kana alone (`ぁぁ` in `ぁぁぁ`) must be bounded on both
        // sides too; one with ideographs may end in kana that particles
        // follow (`桶狭間の戦い|で`).
        let kana_may_follow = piece.chars().any(ideograph) && kind_of_letter(last) == 1;
        self.prose.match_indices(piece).any(|(at, _)| {
            let before = self.prose[..at].chars().next_back();
            let after = self.prose[at + piece.len()..].chars().next();
            // Hiragana after an ideograph go on with its word (`垂|らさ`:
            // the kana that end a verb or adjective, or a particle).
            !before.is_some_and(|b| {
                kind_of_letter(b) == kind_of_letter(first) && kind_of_letter(b) < 4
                    || kind_of_letter(first) == 1 && ideograph(b)
            }) && !after.is_some_and(|a| {
                kind_of_letter(a) == kind_of_letter(last)
                    && kind_of_letter(a) < 4
                    && !kana_may_follow
            })
        })
    }

    /// Whether the prose writes `cell` word for word, as whole words.
    pub(super) fn in_prose(&self, cell: &str) -> bool {
        let needle = cell.to_lowercase();
        let spaceless = needle.chars().any(is_spaceless);
        // Two characters of a spaceless script are a word (`武田菱`).
        if cell.chars().count() < if spaceless { 2 } else { 4 } {
            return false;
        }
        if spaceless {
            return self.spaceless_in_prose(&needle);
        }
        self.prose.match_indices(&needle).any(|(at, _)| {
            !self.prose[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !self.prose[at + needle.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
    }
}
