//! Property tests (a short fuzz run on stable, in CI): Dockerfiles built
//! from random instructions with awkward arguments, and arbitrary text,
//! keep the fix invariants and never panic.

use dockerfix::invariants::check_fix_invariants;
use proptest::prelude::*;

/// An argument made of words and the characters that matter to the
/// Dockerfile and shell syntax.
fn argument() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-z0-9./:_-]{1,8}",
            Just(" ".to_string()),
            Just("\\\n    ".to_string()),
            Just("`\n  ".to_string()),
            Just("\\\n# comment\n  ".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("$HOME".to_string()),
            Just("&&".to_string()),
            Just("exec".to_string()),
            Just(".tar.gz".to_string()),
            Just("https://x/".to_string()),
            Just("[\"a\", \"b\"]".to_string()),
            Just("\r".to_string()),
            Just("\u{e9}".to_string()),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

/// One instruction: a template per keyword with a random argument in it,
/// so that most generated files parse and reach the fixers.
fn instruction() -> impl Strategy<Value = String> {
    let template = prop_oneof![
        Just("FROM {} AS s{}"),
        Just("ADD {} /dst/"),
        Just("add src{} /dst"),
        Just("ADD --chown=a:b {} /dst"),
        Just("COPY {} /dst"),
        Just("CMD {}"),
        Just("cmd exec {}"),
        Just("ENTRYPOINT {}"),
        Just("ENTRYPOINT []"),
        Just("MAINTAINER {}"),
        Just("LABEL a=\"{}\""),
        Just("RUN {}"),
        Just("SHELL [\"pwsh\", \"-c\"]"),
        Just("SHELL [\"/bin/bash\", \"-c\"]"),
        Just("ONBUILD ADD {} /x"),
        Just("USER app{}"),
        Just("# {}"),
    ];
    (
        template,
        "[a-z]{1,6}",
        argument(),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(t, word, a, end)| {
            format!(
                "{}{end}",
                t.replacen("{}", &format!("{word}{a}"), 1).replace("{}", "")
            )
        })
}

fn dockerfile() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(""),
            Just("\u{feff}"),
            Just("# escape=`\n"),
            Just("# syntax=docker/dockerfile:1\n")
        ],
        "[a-z]{1,6}",
        proptest::collection::vec(instruction(), 0..12),
    )
        .prop_map(|(head, image, body)| format!("{head}FROM {image}\n{}", body.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn generated_dockerfiles_keep_the_invariants(text in dockerfile()) {
        if let Err(e) = check_fix_invariants(&text) {
            prop_assert!(false, "{e}\n--- input ---\n{text}");
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        if let Err(e) = check_fix_invariants(&text) {
            prop_assert!(false, "{e}\n--- input ---\n{text}");
        }
    }
}

/// The generator is worth something only if many of its files parse and
/// some get fixes: otherwise the properties above test nothing.
#[test]
fn generated_dockerfiles_exercise_the_fixers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut parsed, mut fixed) = (0, 0);
    for _ in 0..1000 {
        let text = dockerfile().new_tree(&mut runner).unwrap().current();
        let checked = check_fix_invariants(&text).unwrap();
        parsed += usize::from(checked.parsed);
        fixed += usize::from(checked.fixes_applied > 0);
    }
    println!("generated: 1000; {parsed} parse; {fixed} fixed");
    assert!(parsed > 250, "only {parsed} of 1000 parse");
    assert!(fixed > 50, "only {fixed} of 1000 get a fix");
}
