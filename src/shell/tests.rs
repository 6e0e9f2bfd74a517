use parse_dockerfile::Instruction;

use super::*;
use crate::edits::Fix;
use crate::edits::apply_fixes;

/// The script of the last `RUN` of `source`.
fn script_of(source: &str) -> Result<Script, Unsupported> {
    let doc = Document::parse(source).expect("parses");
    let run = doc
        .all_instructions()
        .filter_map(|i| match i {
            Instruction::Run(run) => Some(run),
            _ => None,
        })
        .last()
        .expect("a RUN");
    Script::of_run(&doc, run)
}

fn names(script: &Script) -> Vec<String> {
    script
        .commands
        .iter()
        .map(|c| {
            c.words
                .iter()
                .map(|w| w.raw())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn set_eux_preamble_and_lists() {
    let s = script_of("FROM a\nRUN set -eux; apt-get update; apt-get install -y a b; rm -rf /var/lib/apt/lists/*\n").unwrap();
    assert_eq!(
        names(&s),
        [
            "set -eux",
            "apt-get update",
            "apt-get install -y a b",
            "rm -rf /var/lib/apt/lists/*"
        ]
    );
    assert_eq!(s.items.len(), 4);
    assert!(s.errexit_before(1));
    assert!(!s.errexit_before(0));
    assert_eq!(s.position(2), Some((2, 0)));
}

#[test]
fn spans_point_into_the_document() {
    let source =
        "FROM a\nRUN apt-get update && \\\n    # why\n    apt-get install -y \\\n        curl\n";
    let s = script_of(source).unwrap();
    let install = &s.commands[1];
    assert_eq!(
        &source[install.span.clone()],
        "apt-get install -y \\\n        curl"
    );
    assert_eq!(&source[install.words[3].span.clone()], "curl");
    assert!(s.joined.dropped_comments);
    assert_eq!(s.items[0].operators[0].text, "&&");
    assert_eq!(&source[s.items[0].operators[0].span.clone()], "&&");
}

#[test]
fn quotes_escapes_and_substitutions_stay_inside_words() {
    let s = script_of(
        "FROM a\nRUN echo \"a && b\" 'c;d' e\\;f && x=$(apt-get install q; echo) && echo `date | tr a b` | cat\n",
    )
    .unwrap();
    assert_eq!(
        names(&s),
        [
            "echo \"a && b\" 'c;d' e\\;f",
            "",
            "echo `date | tr a b`",
            "cat"
        ]
    );
    assert_eq!(
        s.commands[1].assignments[0].raw(),
        "x=$(apt-get install q; echo)"
    );
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.items[0].pipelines[2].commands, [Some(2), Some(3)]);
    assert!(s.commands[2].subshell && s.commands[3].subshell && !s.commands[0].subshell);
}

#[test]
fn compound_commands_nest() {
    let s = script_of(
        "FROM a\nRUN if [ -f x ]; then apt-get install -y a; else (cd /b && make); fi && { echo; } && for f in a b; do rm $f; done && case $x in a) y;; esac\n",
    )
    .unwrap();
    assert_eq!(
        names(&s),
        [
            "[ -f x ]",
            "apt-get install -y a",
            "cd /b",
            "make",
            "echo",
            "rm $f",
            "y"
        ]
    );
    assert!(s.commands.iter().all(|c| c.nested));
    let subshell: Vec<bool> = s.commands.iter().map(|c| c.subshell).collect();
    assert_eq!(subshell, [false, false, true, true, false, false, false]);
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.items[0].pipelines.len(), 4);
    assert_eq!(s.items[0].pipelines[0].compound_keywords, ["if"]);
    assert_eq!(s.items[0].pipelines[3].compound_keywords, ["case"]);
    // `[[ … ]]` has an expression grammar of its own, not read.
    assert_eq!(
        script_of("FROM a\nRUN [[ -n $a ]] && echo\n").unwrap_err(),
        Unsupported("conditional expression [[ … ]]")
    );
}

#[test]
fn case_branches_are_read() {
    let s = script_of(
        "FROM a\nRUN case \"$(dpkg --print-architecture)\" in \\\n amd64|arm64) wget -O x y | sh ;; \\\n (*) echo no;; esac && echo done\n",
    )
    .unwrap();
    assert_eq!(names(&s), ["wget -O x y", "sh", "echo no", "echo done"]);
    assert!(s.has_pipe());
    assert!(s.commands[0].nested && s.commands[0].subshell);
    assert!(script_of("FROM a\nRUN case x in a) b\n").is_err());
}

#[test]
fn pipes_at_any_depth() {
    let pipe = |shell: &str| {
        script_of(&format!("FROM a\nRUN {shell}\n"))
            .unwrap()
            .has_pipe()
    };
    assert!(pipe("curl x | sh"));
    assert!(pipe("if true; then a | b; fi"));
    assert!(pipe("V=$(curl x | jq .v) && echo $V"));
    assert!(pipe("echo `ls | wc -l`"));
    assert!(!pipe("a || b && c"));
    assert!(!pipe("echo 'a|b' $(x || y)"));
}

#[test]
fn function_definitions_nest() {
    let s = script_of("FROM a\nRUN f() { apk add x; }; function g { echo; }; f && g\n").unwrap();
    assert_eq!(names(&s), ["apk add x", "echo", "f", "g"]);
    assert_eq!(
        s.commands.iter().map(|c| c.nested).collect::<Vec<_>>(),
        [true, true, false, false]
    );
    assert_eq!(s.items[0].pipelines[0].compound_keywords, ["f"]);
    assert_eq!(s.items[1].pipelines[0].compound_keywords, ["function"]);
}

#[test]
fn redirections_are_not_words() {
    let s = script_of("FROM a\nRUN apt-get update >/dev/null 2>&1 && b 2> err < in\n").unwrap();
    assert_eq!(names(&s), ["apt-get update", "b"]);
    let ops: Vec<(Option<&str>, &str)> = s.commands[0]
        .redirects
        .iter()
        .map(|r| (r.number.as_deref(), r.operator))
        .collect();
    assert_eq!(ops, [(None, ">"), (Some("2"), ">&")]);
    assert!(!s.commands[0].redirects[0].silences_stderr());
    let quiet = script_of("FROM a\nRUN a 2>/dev/null; b &>/dev/null; c 2> err\n").unwrap();
    let silenced: Vec<bool> = quiet
        .commands
        .iter()
        .map(|c| c.redirects[0].silences_stderr())
        .collect();
    assert_eq!(silenced, [true, true, false]);
    assert_eq!(s.commands[1].redirects.len(), 2);
}

#[test]
fn backtick_escape_and_crlf() {
    let source =
        "# escape=`\r\nFROM a\r\nRUN apt-get update && `\r\n    apt-get install -y C:\\x\r\n";
    let s = script_of(source).unwrap();
    assert_eq!(names(&s), ["apt-get update", "apt-get install -y C:\\x"]);
    assert_eq!(
        &source[s.commands[1].span.clone()],
        "apt-get install -y C:\\x"
    );
}

#[test]
fn heredoc_body_is_the_script() {
    let source = "FROM a\nRUN <<EOF\nset -e\napt-get update\napt-get install -y a\nEOF\n";
    let s = script_of(source).unwrap();
    assert!(s.heredoc);
    assert_eq!(
        names(&s),
        ["set -e", "apt-get update", "apt-get install -y a"]
    );
    assert_eq!(&source[s.commands[2].span.clone()], "apt-get install -y a");
    assert!(script_of("FROM a\nRUN <<EOF python3\nprint(1)\nEOF\n").is_err());
    assert!(script_of("FROM a\nRUN <<EOF bash -ex\nset -e\nEOF\n").is_ok());
    assert!(script_of("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n").is_err());
    assert!(script_of("FROM a\nRUN <<EOF\n#!/bin/bash\nset -e\nEOF\n").is_ok());
    assert!(script_of("FROM a\nRUN cat <<EOF > /x\nhi\nEOF\n").is_err());
}

#[test]
fn unsupported_scripts() {
    for source in [
        "FROM a\nRUN function { echo; }\n",
        "FROM a\nRUN cat <<X > /f\nbody\nX\n",
        "FROM a\nRUN echo 'unterminated\n",
        "FROM a\nRUN [\"apt-get\", \"update\"]\n",
        "FROM a\nRUN if true; then\n",
    ] {
        assert!(script_of(source).is_err(), "{source}");
    }
}

#[test]
fn literals() {
    assert_eq!(literal("'-y'").as_deref(), Some("-y"));
    assert_eq!(literal("\"--a b\"c\\ d").as_deref(), Some("--a bc d"));
    assert_eq!(literal("\"a\\$b\\x\"").as_deref(), Some("a$b\\x"));
    assert_eq!(literal("/var/lib/apt/lists/*"), None);
    assert_eq!(literal("$X"), None);
    assert_eq!(literal("\"$X\""), None);
    assert_eq!(literal("'$X'").as_deref(), Some("$X"));
}

fn appended(source: &str, command: &str) -> String {
    let doc = Document::parse(source).unwrap();
    let s = script_of(source).unwrap();
    let edit = s.append(&doc, command).expect("can append");
    apply_fixes(source, &[&Fix::safe(vec![edit])]).0
}

#[test]
fn append_keeps_the_style() {
    assert_eq!(
        appended("FROM a\nRUN a && b\n", "c"),
        "FROM a\nRUN a && b && c\n"
    );
    assert_eq!(
        appended("FROM a\nRUN a && \\\n    b \\\n      x\n", "c"),
        "FROM a\nRUN a && \\\n    b \\\n      x && \\\n    c\n"
    );
    assert_eq!(
        appended("FROM a\nRUN a \\\n  && b # note\n", "c"),
        "FROM a\nRUN a \\\n  && b \\\n  && c # note\n"
    );
    assert_eq!(
        appended(
            "FROM a\nRUN set -eux; \\\n\ta; \\\n\tb \\\n\t\tx \\\n\t; \\\n\td\n",
            "c"
        ),
        "FROM a\nRUN set -eux; \\\n\ta; \\\n\tb \\\n\t\tx \\\n\t; \\\n\td \\\n\t; \\\n\tc\n"
    );
    assert_eq!(
        appended("FROM a\nRUN set -eux; \\\n    a; \\\n    b\n", "c"),
        "FROM a\nRUN set -eux; \\\n    a; \\\n    b; \\\n    c\n"
    );
    // `;` without `set -e` would hide a failure of `b`: `&&` instead.
    assert_eq!(
        appended("FROM a\nRUN a; \\\n    b\n", "c"),
        "FROM a\nRUN a; \\\n    b && \\\n    c\n"
    );
    assert_eq!(
        appended("# escape=`\r\nFROM a\r\nRUN a && `\r\n  b\r\n", "c"),
        "# escape=`\r\nFROM a\r\nRUN a && `\r\n  b && `\r\n  c\r\n"
    );
    assert_eq!(
        appended("FROM a\nRUN <<EOF\nset -e\na\nEOF\n", "c"),
        "FROM a\nRUN <<EOF\nset -e\na\nc\nEOF\n"
    );
    assert_eq!(
        appended("FROM a\nRUN <<EOF\na\nEOF\n", "c"),
        "FROM a\nRUN <<EOF\na && c\nEOF\n"
    );
    let doc = Document::parse("FROM a\nRUN a &\n").unwrap();
    assert!(script_of(doc.text).unwrap().append(&doc, "c").is_none());
}

fn removed(source: &str, command: usize) -> Option<String> {
    let doc = Document::parse(source).unwrap();
    let s = script_of(source).unwrap();
    let edit = s.remove(&doc, command)?;
    Some(apply_fixes(source, &[&Fix::safe(vec![edit])]).0)
}

#[test]
fn remove_takes_its_operator() {
    assert_eq!(
        removed("FROM a\nRUN a && b && c\n", 0).unwrap(),
        "FROM a\nRUN b && c\n"
    );
    assert_eq!(
        removed("FROM a\nRUN a && b && c\n", 1).unwrap(),
        "FROM a\nRUN a && c\n"
    );
    assert_eq!(
        removed("FROM a\nRUN a && b && c\n", 2).unwrap(),
        "FROM a\nRUN a && b\n"
    );
    assert_eq!(
        removed("FROM a\nRUN a \\\n    && b \\\n    && c\n", 2).unwrap(),
        "FROM a\nRUN a \\\n    && b\n"
    );
    assert_eq!(
        removed("FROM a\nRUN set -e; \\\n    a; \\\n    b\n", 1).unwrap(),
        "FROM a\nRUN set -e; \\\n    b\n"
    );
    assert_eq!(
        removed("FROM a\nRUN a; b;\n", 1).unwrap(),
        "FROM a\nRUN a;\n"
    );
    assert_eq!(removed("FROM a\nRUN a || b && c\n", 0), None);
    assert_eq!(removed("FROM a\nRUN a | b && c\n", 0), None);
    assert_eq!(removed("FROM a\nRUN a\n", 0), None);
    assert_eq!(removed("FROM a\nRUN a && \\\n  # keep\n  b\n", 0), None);
}

#[test]
fn cache_mounts() {
    let doc = Document::parse(
        "FROM a\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=bind,target=/x --mount=dst=/tmp,type=tmpfs a\n",
    )
    .unwrap();
    let Some(Instruction::Run(run)) = doc.all_instructions().nth(1) else {
        panic!()
    };
    assert_eq!(cache_mount_targets(run), ["/var/cache/apt", "/tmp"]);
}

#[test]
fn heredoc_words_after_a_continuation_span_only_themselves() {
    let source = "FROM a\nRUN <<EOT\napt-get install -y \\\n    zip \\\n\tbzip2\\\nEOT\n";
    let s = script_of(source).unwrap();
    let texts: Vec<&str> = s.commands[0]
        .words
        .iter()
        .map(|w| &source[w.span.clone()])
        .collect();
    assert_eq!(texts, ["apt-get", "install", "-y", "zip", "bzip2"]);
}

#[test]
fn deeply_nested_commands_are_not_modelled() {
    let deep = format!("FROM a\nRUN {}echo a{}\n", "(".repeat(33), ")".repeat(33));
    assert_eq!(
        script_of(&deep).unwrap_err(),
        Unsupported("compound commands nested too deeply")
    );
    let braces = format!(
        "FROM a\nRUN {}echo a{}\n",
        "{ ".repeat(100_000),
        "; }".repeat(100_000)
    );
    assert!(script_of(&braces).is_err());
    let unclosed = format!("FROM a\nRUN {}\n", "(( ".repeat(30));
    assert!(script_of(&unclosed).is_err());
    let fine = format!("FROM a\nRUN {}echo a{}\n", "(".repeat(32), ")".repeat(32));
    assert!(script_of(&fine).is_ok());
}
