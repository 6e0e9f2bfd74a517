//! The vendored parser against BuildKit's own parser rules (cases ported
//! from BuildKit's `frontend/dockerfile/parser/parser_heredoc_test.go` and
//! `instructions/parse.go`); see `vendor/parse-dockerfile/PATCHES.md`.

use parse_dockerfile::{Command, Instruction, Source, parse};

/// Name-free view of a here-document: (body, expand).
type Doc = (String, bool);

fn run_heredocs(text: &str) -> Vec<Vec<Doc>> {
    let dockerfile = parse(text).unwrap_or_else(|e| panic!("{e}\n--- input:\n{text}"));
    dockerfile
        .instructions
        .iter()
        .filter_map(|i| match i {
            Instruction::Run(run) => Some(
                run.here_docs
                    .iter()
                    .map(|h| (h.value.to_string(), h.expand))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

fn one_run(args: &str, body: &str) -> Vec<Doc> {
    let text = format!("FROM alpine\nRUN {args}\n{body}");
    let mut runs = run_heredocs(&text);
    assert_eq!(runs.len(), 1, "{text}");
    runs.pop().unwrap()
}

fn doc(body: &str, expand: bool) -> Doc {
    (body.to_string(), expand)
}

#[test]
fn heredoc_at_the_start_as_before() {
    assert_eq!(one_run("<<EOF", "echo hi\nEOF\n"), [doc("echo hi\n", true)]);
    assert_eq!(one_run("<<EMPTY", "EMPTY\n"), [doc("", true)]);
    assert_eq!(
        one_run("<<-UNINDENT", "\tbaz\n\tquux\n\tUNINDENT\n"),
        [doc("baz\nquux\n", true)]
    );
    assert_eq!(
        one_run("<<-'NOEXPAND'", "\tdon't $X\nNOEXPAND\n"),
        [doc("don't $X\n", false)]
    );
}

#[test]
fn heredoc_after_a_command_word() {
    assert_eq!(
        one_run("python3 <<EOF", "print(1)\nEOF\n"),
        [doc("print(1)\n", true)]
    );
    assert_eq!(
        one_run("<<COMPLEX python3", "print(1)\nCOMPLEX\n"),
        [doc("print(1)\n", true)]
    );
}

#[test]
fn redirection_and_second_command_after_the_marker() {
    let docs = one_run(
        "<<EOF cat > /etc/app.conf && chmod 600 /etc/app.conf",
        "a=1\nEOF\n",
    );
    assert_eq!(docs, [doc("a=1\n", true)]);
    let docs = one_run("cat <<EOF > /x; echo done", "line\nEOF\n");
    assert_eq!(docs, [doc("line\n", true)]);
}

#[test]
fn several_heredocs_on_one_line_in_order() {
    let docs = one_run("<<A <<B sh -c 'cat /dev/fd/3'", "first\nA\nsecond\nB\n");
    assert_eq!(docs, [doc("first\n", true), doc("second\n", true)]);
    let docs = one_run("cat <<X >/x && cat <<-'Y' >/y", "Y\nX\n\tX\n\tY\n");
    assert_eq!(docs, [doc("Y\n", true), doc("X\n", false)]);
}

#[test]
fn file_descriptor_and_blank_after_the_operator() {
    assert_eq!(one_run("3<<EMPTY2", "EMPTY2\n"), [doc("", true)]);
    assert_eq!(one_run("<<  EOF  > foo", "x\nEOF\n"), [doc("x\n", true)]);
    assert_eq!(one_run("<< -EOF", "x\n-EOF\n"), [doc("x\n", true)]);
}

#[test]
fn quoted_and_escaped_delimiters() {
    assert_eq!(one_run("<<\"EOF\"", "$X\nEOF\n"), [doc("$X\n", false)]);
    assert_eq!(
        one_run("<<eo'f'", "echo foo\neof\n"),
        [doc("echo foo\n", false)]
    );
    assert_eq!(
        one_run("<<eo\\'f", "echo foo\neo'f\n"),
        [doc("echo foo\n", true)]
    );
    assert_eq!(
        one_run("<<'e'o\\'f", "echo foo\neo'f\n"),
        [doc("echo foo\n", false)]
    );
    assert_eq!(
        one_run("<<'one two'", "echo bar\none two\n"),
        [doc("echo bar\n", false)]
    );
    assert_eq!(one_run("<<$EOF", "$EOF\n"), [doc("", true)]);
}

#[test]
fn not_heredocs() {
    // Quoted, glued to a word, `<<<`, JSON form, or `<<-` split from its word.
    for args in [
        "\"<<NOHEREDOC\"",
        "echo '<<EOF'",
        "echo a<<EOF",
        "cat <<<EOF",
        "[\"<<EOF\"]",
        "<<- EOF",
        // Found by fuzzing: quotes around nothing name no delimiter.
        "<<''''",
    ] {
        assert_eq!(one_run(args, ""), Vec::<Doc>::new(), "{args}");
    }
}

#[test]
fn marker_on_a_continuation_line_and_comments_inside() {
    let text =
        "FROM alpine\nRUN cat \\\n  # where it goes\n  <<EOF \\\n  > /x\nbody\nEOF\nRUN true\n";
    assert_eq!(run_heredocs(text), [vec![doc("body\n", true)], vec![]]);
    let text = "# escape=`\r\nFROM alpine\r\nRUN cat `\r\n  <<EOF\r\nbody\r\nEOF\r\n";
    assert_eq!(run_heredocs(text), [vec![doc("body\r\n", true)]]);
}

#[test]
fn heredoc_in_onbuild_run() {
    let text = "FROM alpine\nONBUILD RUN python3 <<EOF\nprint(1)\nEOF\nRUN true\n";
    let dockerfile = parse(text).unwrap();
    assert_eq!(dockerfile.instructions.len(), 3);
}

#[test]
fn unterminated_heredoc_is_an_error() {
    assert!(parse("FROM alpine\nRUN cat <<EOF\nbody\n").is_err());
    assert!(parse("FROM alpine\nRUN <<A <<B\nbody\nA\n").is_err());
}

#[test]
fn copy_with_several_heredocs() {
    let text = "FROM alpine\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n";
    let dockerfile = parse(text).unwrap();
    let Instruction::Copy(copy) = &dockerfile.instructions[1] else {
        panic!()
    };
    let bodies: Vec<_> = copy
        .src
        .iter()
        .map(|s| match s {
            Source::HereDoc(h) => h.value.to_string(),
            Source::Path(p) => panic!("path {}", p.value),
            _ => panic!("unknown source"),
        })
        .collect();
    assert_eq!(bodies, ["Y\n", "X\n"]);
}

/// BuildKit accepts `ENTRYPOINT []` (it clears the entrypoint) and a bare
/// `ENTRYPOINT`; `CMD []` was already accepted.
#[test]
fn empty_entrypoint_and_cmd() {
    for (text, n_args) in [
        ("FROM x\nENTRYPOINT []\n", 0),
        ("FROM x\nENTRYPOINT [ ]\n", 0),
        ("FROM x\nCMD []\n", 0),
    ] {
        let dockerfile = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let command = match &dockerfile.instructions[1] {
            Instruction::Entrypoint(e) => &e.arguments,
            Instruction::Cmd(c) => &c.arguments,
            other => panic!("{other:?}"),
        };
        let Command::Exec(args) = command else {
            panic!("{text}: not exec form")
        };
        assert_eq!(args.value.len(), n_args, "{text}");
    }
    let dockerfile = parse("FROM x\nENTRYPOINT\n").unwrap();
    let Instruction::Entrypoint(e) = &dockerfile.instructions[1] else {
        panic!()
    };
    assert!(matches!(&e.arguments, Command::Shell(s) if s.value.is_empty()));
}

/// The instructions around a here-document are unaffected: the body is not
/// read as instructions.
#[test]
fn body_lines_are_not_instructions() {
    let text =
        "FROM alpine\nRUN cat <<EOF > /Dockerfile\nFROM scratch\nCOPY a b\nEOF\nCMD [\"x\"]\n";
    let dockerfile = parse(text).unwrap();
    assert_eq!(dockerfile.instructions.len(), 3);
    assert_eq!(dockerfile.stages().count(), 1);
}

/// A stage name used twice is BuildKit's DuplicateStageName warning, not a
/// parse error; the name then means the latest stage of that name.
#[test]
fn duplicate_stage_names_parse_and_the_latest_wins() {
    let dockerfile = parse("FROM scratch AS b\nFROM alpine AS b\nFROM b\n").unwrap();
    assert_eq!(dockerfile.stages().count(), 3);
    let latest = dockerfile.stage("b").unwrap();
    assert_eq!(latest.from.image.value, "alpine");
}
