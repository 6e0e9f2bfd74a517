//! The shell tokenizer and scanner (`src/shell/lex.rs`, `scan.rs`) against
//! `brush-parser`, a maintained bash parser, as the oracle: on every `RUN`
//! script of the corpus and on seeded mutants of each, wherever dockerfix
//! reads a script, brush-parser's tokenizer gives the same tokens (text and
//! place) and its grammar accepts the script. Scripts dockerfix declines are
//! counted, not failures: declining only costs a fix.

use std::ops::Range;
use std::path::PathBuf;

use dockerfix::document::Document;
use dockerfix::shell::{self, Script, lex};
use parse_dockerfile::Instruction;

fn corpus_dir() -> PathBuf {
    std::env::var_os("DOCKERFIX_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files"),
        PathBuf::from,
    )
}

/// brush-parser's tokens as (operator?, byte range), its character
/// positions turned into bytes and the blanks and continuations it counts
/// into a word's range left out; `None` when it rejects the text. (Its token
/// texts are not always the source: it respaces `$( … )`.)
fn oracle_tokens(text: &str) -> Option<Vec<(bool, Range<usize>)>> {
    let raw = brush_parser::uncached_tokenize_str(text, &Default::default()).ok()?;
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let byte = |c: usize| bytes.get(c).copied().unwrap_or(text.len());
    Some(
        raw.into_iter()
            .map(|token| {
                let (span, word) = match token {
                    brush_parser::Token::Operator(_, s) => (s, false),
                    brush_parser::Token::Word(_, s) => (s, true),
                };
                let mut range = byte(span.start.index)..byte(span.end.index);
                // A comment is part of the newline token that ends it.
                if !word
                    && text[range.clone()].starts_with('#')
                    && text[range.clone()].ends_with('\n')
                {
                    range.start = range.end - 1;
                }
                loop {
                    let rest = &text[range.clone()];
                    if rest.starts_with([' ', '\t']) || (word && rest.starts_with('\n')) {
                        range.start += 1;
                    } else if rest.starts_with("\\\n") {
                        range.start += 2;
                    } else if rest.starts_with('\n') && continued(text, range.start) {
                        range.start += 1;
                    } else if word && rest.ends_with("\\\n") {
                        range.end -= 2;
                    } else {
                        break;
                    }
                }
                (!word, range)
            })
            .collect(),
    )
}

/// Whether the newline at `at` ends a line continuation: an odd number of
/// backslashes before it.
fn continued(text: &str, at: usize) -> bool {
    text.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

fn oracle_accepts(text: &str) -> bool {
    brush_parser::uncached_tokenize_str(text, &Default::default())
        .is_ok_and(|t| brush_parser::parse_tokens(&t, &Default::default()).is_ok())
}

#[derive(Default)]
struct Tally {
    scripts: usize,
    read: usize,
    declined_lexer: usize,
    declined_scanner: usize,
    failures: Vec<String>,
}

impl Tally {
    fn compare(&mut self, text: &str, origin: &str) {
        self.scripts += 1;
        let ours = match lex::lex(text) {
            Ok(tokens) => tokens,
            Err(_) => {
                self.declined_lexer += 1;
                return;
            }
        };
        let ours: Vec<(bool, Range<usize>)> =
            ours.iter().map(|t| (t.operator, t.range.clone())).collect();
        match oracle_tokens(text) {
            Some(theirs) if theirs == ours => {}
            theirs => {
                let show =
                    |t: Option<&(bool, Range<usize>)>| t.map(|(op, r)| (*op, text.get(r.clone())));
                let first = theirs.as_ref().map(|theirs| {
                    let i = theirs
                        .iter()
                        .zip(&ours)
                        .position(|(a, b)| a != b)
                        .unwrap_or(theirs.len().min(ours.len()));
                    (show(theirs.get(i)), show(ours.get(i)))
                });
                self.failures.push(format!(
                    "{origin}: tokens differ (brush-parser, ours): {first:?} in {}",
                    short(text)
                ));
                return;
            }
        }
        let joined = shell::Joined::verbatim(text, 0);
        if Script::parse(joined, false, 0..text.len()).is_err() {
            self.declined_scanner += 1;
            return;
        }
        self.read += 1;
        if !oracle_accepts(text) {
            self.failures.push(format!(
                "{origin}: read, but brush-parser's grammar rejects {}",
                short(text)
            ));
        }
    }
}

fn short(text: &str) -> String {
    let shown: String = text.chars().take(300).collect();
    format!(
        "{shown:?}{}",
        if shown.len() < text.len() { "…" } else { "" }
    )
}

/// The shell texts of the `RUN`s of a Dockerfile, as the shell reads them.
fn scripts(source: &str) -> Vec<String> {
    let Ok(doc) = Document::parse(source) else {
        return Vec::new();
    };
    doc.all_instructions()
        .filter_map(|i| match i {
            Instruction::Run(run) => shell::shell_text(&doc, run).ok(),
            _ => None,
        })
        .map(|(joined, _, _)| joined.text)
        .collect()
}

/// xorshift64*: deterministic mutants.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}

const SPICE: &[&str] = &[
    "\\", "`", "\"", "'", "\n", "#", "$", "$(", "${", "(", ")", "{", "}", " ", "<", ">", "&", "|",
    ";", ";;", "!(", "$((", "\\\n", "if ", "then ", "fi", "do ", "done", "case ", " in ", "esac",
    "=", "2>",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut cut = rng.below(text.len() + 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let (head, tail) = text.split_at(cut);
    match rng.below(3) {
        0 => format!("{head}{}{tail}", SPICE[rng.below(SPICE.len())]),
        1 => {
            let skip = tail.chars().next().map_or(0, char::len_utf8);
            format!("{head}{}", &tail[skip..])
        }
        _ => format!("{head}{head}{tail}"),
    }
}

/// Mutants per corpus script, each with one to three edits.
const MUTANTS: usize = 12;

#[test]
fn lexer_and_scanner_agree_with_brush_parser() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "SKIPPED: no corpus at {} (set DOCKERFIX_CORPUS)",
            dir.display()
        );
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let (mut corpus, mut mutants) = (Tally::default(), Tally::default());
    let mut rng = Rng(0x5eed_1e4e_0000_0001);
    for path in &paths {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy();
        for text in scripts(&source) {
            corpus.compare(&text, &name);
            for _ in 0..MUTANTS {
                let mut mutant = mutate(&text, &mut rng);
                for _ in 0..rng.below(3) {
                    mutant = mutate(&mutant, &mut rng);
                }
                mutants.compare(&mutant, &format!("{name} (mutant)"));
            }
        }
    }
    for (what, t) in [("corpus scripts", &corpus), ("mutants", &mutants)] {
        println!(
            "{what}: {} scripts; {} read; declined by the lexer {}, by the scanner {}; {} disagreements",
            t.scripts,
            t.read,
            t.declined_lexer,
            t.declined_scanner,
            t.failures.len()
        );
    }
    assert!(
        corpus.scripts > 3000,
        "the corpus has about 3900 RUN scripts"
    );
    let failures: Vec<&String> = corpus.failures.iter().chain(&mutants.failures).collect();
    assert!(
        failures.is_empty(),
        "{} disagreements, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(15)
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
