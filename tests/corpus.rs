//! Every real Dockerfile of the shared corpus either parses or is listed in
//! `tests/corpus-expected-failures.tsv` with its reason; every parsed file,
//! fixed with all rules and unsafe fixes, parses again, keeps its stages, and
//! fixing it a second time changes nothing; a file without fixes comes out
//! byte-identical.
//!
//! The corpus is `../shared/corpus/files` (or `$DOCKERFIX_CORPUS`); when it
//! is absent the test says it skipped (`.ci/run` fails in that case).

use std::collections::BTreeMap;
use std::path::PathBuf;

use dockerfix::document::{Document, join_bom, split_bom};
use dockerfix::edits::{FixOutcome, fix_until_stable};
use dockerfix::rules;

fn corpus_dir() -> PathBuf {
    std::env::var_os("DOCKERFIX_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files"),
        PathBuf::from,
    )
}

fn expected_failures() -> BTreeMap<String, String> {
    let list = include_str!("corpus-expected-failures.tsv");
    list.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, reason) = l.split_once('\t').expect("name<TAB>reason");
            (name.to_owned(), reason.to_owned())
        })
        .collect()
}

fn fix_all(text: &str) -> Result<(FixOutcome, usize), String> {
    let doc = Document::parse(text).map_err(|e| e.to_string())?;
    let findings = rules::check(&doc, rules::ALL);
    let outcome = fix_until_stable(&doc, &findings, |d| rules::check(d, rules::ALL), true)
        .map_err(|e| e.to_string())?;
    Ok((outcome, doc.stage_count()))
}

#[test]
fn corpus_parses_fixes_and_is_idempotent() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "SKIPPED: no corpus at {} (set DOCKERFIX_CORPUS)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    let expected = expected_failures();
    let (mut parsed, mut fixed, mut idempotent) = (0, 0, 0);
    let mut fixes_by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut files_by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut failed = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(path).unwrap();
        let (bom, text) = split_bom(&source);
        let (outcome, stages) = match fix_all(text) {
            Ok(result) => result,
            Err(e) => {
                failed.push(name.clone());
                if !expected.contains_key(&name) {
                    problems.push(format!("{name}: unexpected failure: {e}"));
                }
                continue;
            }
        };
        parsed += 1;
        let out = join_bom(bom, &outcome.text);
        if outcome.applied.is_empty() {
            if out != source {
                problems.push(format!("{name}: no fix applied but the text changed"));
            }
        } else {
            fixed += 1;
            for rule in &outcome.applied {
                *fixes_by_rule.entry(rule).or_default() += 1;
            }
            let rules: std::collections::BTreeSet<&str> = outcome.applied.iter().copied().collect();
            for rule in rules {
                *files_by_rule.entry(rule).or_default() += 1;
            }
        }
        match fix_all(&outcome.text) {
            Ok((again, again_stages)) if again.text == outcome.text && again.applied.is_empty() => {
                // multi-stage adds the runtime stage; nothing else adds one.
                let added = usize::from(outcome.applied.contains(&dockerfix::edits::ADDS_A_STAGE));
                if again_stages == stages + added {
                    idempotent += 1;
                } else {
                    problems.push(format!("{name}: stage count changed"));
                }
            }
            Ok(_) => problems.push(format!("{name}: a second fix changed the text again")),
            Err(e) => problems.push(format!("{name}: fixed text fails: {e}")),
        }
    }
    for name in expected.keys() {
        if !failed.contains(name) {
            problems.push(format!(
                "{name}: listed as an expected failure but it parses now"
            ));
        }
    }
    println!(
        "corpus: {} files; {parsed} parse; {} expected failures; {fixed} got at least one fix; \
         {idempotent} idempotent",
        files.len(),
        failed.len()
    );
    println!("fixes applied by rule: {fixes_by_rule:?}");
    println!("files fixed by rule: {files_by_rule:?}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(idempotent, parsed);
    assert!(parsed > 0);
}
