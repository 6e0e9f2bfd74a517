//! BuildKit's own build-check tests as a parity test: the Dockerfiles of
//! `frontend/dockerfile/dockerfile_check_test.go` (moby/buildkit), written
//! out in `tests/buildkit/` with the warnings BuildKit expects
//! (`expected.tsv`, see `tests/buildkit/README.md`).
//!
//! For every case, with every rule and the inline ignores (BuildKit's
//! `# check=` comments included):
//! - each expected warning is reported by a rule answering that check, on a
//!   finding whose lines include BuildKit's line;
//! - a finding of a rule answering a BuildKit check matches an expected
//!   warning, unless it is listed in `EXTRA` with its reason;
//! - after `fix --unsafe-fixes` no rule with a fix reports an expected
//!   check any more, unless listed in `KEPT`.

use std::collections::BTreeSet;
use std::path::Path;

use dockerfix::check_directive::BUILDKIT_CHECKS;
use dockerfix::document::Document;
use dockerfix::edits::fix_until_stable;
use dockerfix::ignores::Ignores;
use dockerfix::rules::{self, Finding, FixKind};

/// Checks dockerfix does not have, so their expected warnings are not
/// looked for.
const NOT_COVERED: &[(&str, &str)] = &[
    (
        "CopyIgnoredFile",
        "dockerignore answers it with a build context (fixers/dockerignore/copy-ignored); \
         BuildKit's tests write their .dockerignore in Go, not next to the Dockerfile",
    ),
    (
        "InvalidBaseImagePlatform",
        "needs the pulled base image's platform",
    ),
];

/// Findings dockerfix adds where BuildKit expects none: (file, check,
/// line, why).
const EXTRA: &[(&str, &str, usize, &str)] = &[
    (
        "testWorkdirRelativePath-2.Dockerfile",
        "WorkdirRelativePath",
        6,
        "workdir-relative-path also answers hadolint's DL3000, which reports every relative \
     WORKDIR; BuildKit only the first of a stage chain that no absolute one precedes",
    ),
    (
        "testJSONArgsRecommended-3.Dockerfile",
        "JSONArgsRecommended",
        4,
        "exec-form also answers hadolint's DL3025, which reports a shell-form CMD/ENTRYPOINT \
         whatever the stage's SHELL; BuildKit leaves a stage with its own SHELL alone (the fix \
         writes that shell out as BuildKit stores it: the same image)",
    ),
    (
        "testJSONArgsRecommended-4.Dockerfile",
        "JSONArgsRecommended",
        4,
        "exec-form also answers hadolint's DL3025, which reports a shell-form CMD/ENTRYPOINT \
         whatever the stage's SHELL; BuildKit leaves a stage with its own SHELL alone (the fix \
         writes that shell out as BuildKit stores it: the same image)",
    ),
    (
        "testJSONArgsRecommended-5.Dockerfile",
        "JSONArgsRecommended",
        6,
        "exec-form also answers hadolint's DL3025, which reports a shell-form CMD/ENTRYPOINT \
         whatever the stage's SHELL; BuildKit leaves a stage with its own SHELL alone (the fix \
         writes that shell out as BuildKit stores it: the same image)",
    ),
    (
        "testJSONArgsRecommended-6.Dockerfile",
        "JSONArgsRecommended",
        6,
        "exec-form also answers hadolint's DL3025, which reports a shell-form CMD/ENTRYPOINT \
         whatever the stage's SHELL; BuildKit leaves a stage with its own SHELL alone (the fix \
         writes that shell out as BuildKit stores it: the same image)",
    ),
];

/// Expected checks still reported after `fix --unsafe-fixes`: (file, check,
/// why).
const KEPT: &[(&str, &str, &str)] = &[];

struct Case {
    file: String,
    expected: BTreeSet<(String, usize)>,
}

fn cases() -> Vec<Case> {
    let list = include_str!("buildkit/expected.tsv");
    list.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "file<TAB>function<TAB>warnings: {line}");
            let expected = fields[2]
                .split(',')
                .filter(|w| *w != "-")
                .map(|w| {
                    let (check, line) = w.split_once(':').expect("check:line");
                    assert!(BUILDKIT_CHECKS.contains(&check), "unknown check {check}");
                    (check.to_owned(), line.parse().expect("a line number"))
                })
                .collect();
            Case {
                file: fields[0].to_owned(),
                expected,
            }
        })
        .collect()
}

/// What a run shows: every rule's findings, less the ignored ones.
fn findings(doc: &Document<'_>) -> Vec<Finding> {
    let all = rules::check(doc, rules::ALL);
    Ignores::parse(doc, true).filter(all)
}

/// The BuildKit checks the rule of `finding` answers.
fn checks_of(finding: &Finding) -> Vec<&'static str> {
    let rule = rules::by_id(finding.rule).expect("a rule");
    rule.codes
        .iter()
        .copied()
        .filter(|c| BUILDKIT_CHECKS.contains(c))
        .collect()
}

/// First and last line of a finding.
fn lines(doc: &Document<'_>, finding: &Finding) -> (usize, usize) {
    let first = doc.line_column(finding.span.start).0;
    let last = doc
        .line_column(finding.span.end.saturating_sub(1).max(finding.span.start))
        .0;
    (first, last)
}

#[test]
fn buildkit_check_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/buildkit");
    let cases = cases();
    let on_disk = std::fs::read_dir(&root)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "Dockerfile")
        })
        .count();
    assert_eq!(
        on_disk,
        cases.len(),
        "every Dockerfile is listed in expected.tsv"
    );
    let mut problems = Vec::new();
    let (mut matched, mut looked_for, mut extra_used) = (0, 0, BTreeSet::new());
    for case in &cases {
        let text = std::fs::read_to_string(root.join(&case.file)).unwrap();
        let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let found = findings(&doc);
        for (check, line) in &case.expected {
            if NOT_COVERED.iter().any(|(c, _)| c == check) {
                continue;
            }
            looked_for += 1;
            let hit = found.iter().any(|f| {
                let (first, last) = lines(&doc, f);
                checks_of(f).contains(&check.as_str()) && (first..=last).contains(line)
            });
            if hit {
                matched += 1;
            } else {
                problems.push(format!("{}: missing {check} on line {line}", case.file));
            }
        }
        for finding in &found {
            let (first, last) = lines(&doc, finding);
            for check in checks_of(finding) {
                let expected = case
                    .expected
                    .iter()
                    .any(|(c, l)| c == check && (first..=last).contains(l));
                if expected {
                    continue;
                }
                let listed = EXTRA
                    .iter()
                    .find(|(f, c, l, _)| *f == case.file && *c == check && *l == first);
                match listed {
                    Some(entry) => {
                        extra_used.insert(entry.0.to_owned() + entry.1);
                    }
                    None => problems.push(format!(
                        "{}:{first}: {} reports {check} ({}) where BuildKit does not",
                        case.file, finding.rule, finding.message
                    )),
                }
            }
        }
        problems.extend(still_reported_after_fix(case, &doc));
    }
    for (file, check, _, _) in EXTRA {
        if !extra_used.contains(&format!("{file}{check}")) {
            problems.push(format!(
                "{file}: EXTRA lists {check}, which is no longer reported"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // 55 distinct (check, line) warnings of 82 files, CopyIgnoredFile aside.
    assert_eq!((matched, looked_for), (55, 55));
}

/// The expected checks that a rule with a fix still reports after
/// `fix --unsafe-fixes`.
fn still_reported_after_fix(case: &Case, doc: &Document<'_>) -> Vec<String> {
    let first = findings(doc);
    let outcome = fix_until_stable(doc, &first, findings, true)
        .unwrap_or_else(|e| panic!("{}: {e}", case.file));
    let fixed = Document::parse(&outcome.text).expect("the fixed text parses");
    let mut out = Vec::new();
    for finding in findings(&fixed) {
        let rule = rules::by_id(finding.rule).expect("a rule");
        if rule.fix == FixKind::None {
            continue;
        }
        for check in checks_of(&finding) {
            let expected = case.expected.iter().any(|(c, _)| c == check);
            let kept = KEPT.iter().any(|(f, c, _)| *f == case.file && *c == check);
            if expected && !kept {
                out.push(format!(
                    "{}: {check} is still reported after fix --unsafe-fixes: {}",
                    case.file, finding.message
                ));
            }
        }
    }
    out
}
