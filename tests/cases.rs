//! Runs every case in `fixers/<rule-id>/` with that rule alone and compares
//! the findings and the fixed text with the snapshots in `snapshots/`.
//! Each case must also re-parse after fixing and be idempotent.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use dockerfix::context::BuildContext;
use dockerfix::document::{Document, join_bom, split_bom};
use dockerfix::edits::{FileEdit, fix_until_stable, fix_until_stable_with};
use dockerfix::output::{Style, file_diff, unified_diff};
use dockerfix::registry::{Digest, ImageName};
use dockerfix::rules::{self, Context, Rule, pin_digest};

/// Shows what a snapshot could otherwise hide: `\r`, a BOM, tabs.
fn visible(text: &str) -> String {
    text.replace('\u{feff}', "<BOM>")
        .replace('\r', "␍")
        .replace('\t', "→")
}

/// A case's rule run: with the case's folder as build context for the
/// cases that are folders (a Dockerfile and the files it copies).
fn check(
    doc: &Document<'_>,
    rule: &'static Rule,
    build: Option<&BuildContext>,
) -> Vec<rules::Finding> {
    let context = Context {
        build,
        ..Context::default()
    };
    rules::check_with(doc, &[rule], &Default::default(), context)
}

fn fix(source: &str, rule: &'static Rule, unsafe_fixes: bool, build: Option<&Path>) -> String {
    fix_with_files(source, rule, unsafe_fixes, build, &mut Vec::new())
}

/// Fixes a case; the other files the fixes change go to `files`.
fn fix_with_files(
    source: &str,
    rule: &'static Rule,
    unsafe_fixes: bool,
    build: Option<&Path>,
    files: &mut Vec<FileEdit>,
) -> String {
    let (bom, text) = split_bom(source);
    let doc = Document::parse(text).expect("case parses");
    // A fresh view of the context per run: nothing is written to the case.
    let build = build.map(BuildContext::new);
    let findings = check(&doc, rule, build.as_ref());
    let written = |f: &FileEdit| {
        if let Some(build) = &build {
            build.record_written(&f.path, &f.after);
        }
    };
    let out = fix_until_stable_with(
        &doc,
        &findings,
        |d| check(d, rule, build.as_ref()),
        unsafe_fixes,
        written,
    )
    .unwrap_or_else(|e| panic!("fix failed: {e}"));
    // With the other files as written, no fix changes them again.
    if let Some(build) = &build {
        let again = check(&doc, rule, Some(build));
        assert!(
            again.iter().all(|f| f
                .fix
                .as_ref()
                .is_none_or(|fix| fix.files.is_empty() || !fix.is_applicable(unsafe_fixes))),
            "other files are not idempotent"
        );
    }
    files.extend(out.files);
    join_bom(bom, &out.text)
}

fn render(rule: &'static Rule, name: &str, source: &str, build: Option<&Path>) -> String {
    let (_, text) = split_bom(source);
    let doc = Document::parse(text).expect("case parses");
    let mut out = String::new();
    let _ = writeln!(out, "# findings");
    let context = build.map(BuildContext::new);
    for f in check(&doc, rule, context.as_ref()) {
        let (line, column) = doc.line_column(f.span.start);
        let fix = match (&f.fix, f.fix_with) {
            (Some(fix), _) => fix.applicability.as_str().to_owned(),
            (None, Some(option)) => format!("fix with {option}"),
            (None, None) => "no fix".to_owned(),
        };
        let _ = writeln!(out, "{line}:{column} {} [{fix}]", f.message);
    }
    let plain = Style { color: false };
    let mut safe_result = None;
    for (title, unsafe_fixes) in [("fix", false), ("fix --unsafe-fixes", true)] {
        let mut files = Vec::new();
        let fixed = fix_with_files(source, rule, unsafe_fixes, build, &mut files);
        // The fixed text parses, and fixing it again changes nothing.
        assert!(
            Document::parse(split_bom(&fixed).1).is_ok(),
            "{name}: fixed text does not parse"
        );
        assert_eq!(
            fix(&fixed, rule, unsafe_fixes, build),
            fixed,
            "{name}: not idempotent"
        );
        let _ = writeln!(out, "\n# {title}");
        let root = build.unwrap_or(Path::new("."));
        let mut shown = unified_diff(name, &visible(source), &visible(&fixed), plain);
        for file in &files {
            let relative = file.path.strip_prefix(root).unwrap_or(&file.path);
            let file_name = format!("{}/{}", name, relative.display());
            shown.push_str(&file_diff(
                &file_name,
                file.before.as_deref(),
                &file.after,
                plain,
            ));
        }
        if safe_result.as_ref() == Some(&shown) {
            out.push_str("(same as fix)\n");
            continue;
        }
        safe_result = Some(shown.clone());
        out.push_str(if shown.is_empty() {
            "(unchanged)\n"
        } else {
            &shown
        });
    }
    if rule.id == pin_digest::RULE.id {
        // Where pins go, with each tag resolved to the sha256 of its name
        // (the digests a registry serves are tested in tests/registry.rs).
        let fixed = fix_with_sample_digests(source, rule);
        let _ = writeln!(out, "\n# fix, every tag resolved");
        let diff = unified_diff(name, &visible(source), &visible(&fixed), plain);
        out.push_str(if diff.is_empty() {
            "(unchanged)\n"
        } else {
            &diff
        });
    }
    out
}

fn fix_with_sample_digests(source: &str, rule: &'static Rule) -> String {
    let (bom, text) = split_bom(source);
    let doc = Document::parse(text).expect("case parses");
    let digests: HashMap<ImageName, Digest> = pin_digest::lookups(&doc, false)
        .into_iter()
        .map(|(_, _, name)| {
            let digest = Digest::sha256_of(name.to_string().as_bytes());
            (name, digest)
        })
        .collect();
    let context = Context {
        digests: Some(&digests),
        update_digests: false,
        build: None,
    };
    let rules = [rule];
    let fix = |doc: &Document<'_>| {
        let findings = rules::check_with(doc, &rules, &Default::default(), context);
        fix_until_stable(
            doc,
            &findings,
            |d| rules::check_with(d, &rules, &Default::default(), context),
            false,
        )
        .unwrap_or_else(|e| panic!("fix failed: {e}"))
        .text
    };
    let fixed = fix(&doc);
    let again = fix(&Document::parse(&fixed).expect("fixed text parses"));
    assert_eq!(again, fixed, "pinning is not idempotent");
    join_bom(bom, &fixed)
}

#[test]
fn fixer_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for rule in rules::ALL {
        let dir = root.join("fixers").join(rule.id);
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: every rule needs a cases folder: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        assert!(!cases.is_empty(), "{} has no cases", rule.id);
        for case in cases {
            let file = case.file_name().unwrap().to_string_lossy().into_owned();
            // A folder is a case with its build context: its Dockerfile and
            // the files next to it.
            let (dockerfile, build) = if case.is_dir() {
                (case.join("Dockerfile"), Some(case.as_path()))
            } else {
                (case.clone(), None)
            };
            let source = std::fs::read_to_string(&dockerfile).unwrap();
            let name = format!("{}/{file}", rule.id);
            let rendered = render(rule, &name, &source, build);
            insta::with_settings!({
                snapshot_path => root.join("snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => name.clone(),
            }, {
                insta::assert_snapshot!(format!("{}__{}", rule.id, file.replace('.', "_")), rendered);
            });
            seen += 1;
        }
    }
    assert!(seen >= rules::ALL.len());
}
