//! Structure-aware: a Dockerfile assembled from instructions with awkward
//! arguments (continuations, quotes, escapes, heredocs, CRLF, BOM), so the
//! fuzzer spends its time in the fixers rather than in parse errors. Seed it
//! with the corpus: `cargo fuzz run structured fuzz/corpus/structured`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Keyword {
    From,
    Add,
    Copy,
    Cmd,
    Entrypoint,
    Maintainer,
    Label,
    Run,
    Shell,
    Onbuild,
    User,
    Comment,
}

#[derive(Debug, Arbitrary)]
enum Piece {
    Word(u8),
    Space,
    Continuation,
    CommentInContinuation,
    DoubleQuote,
    SingleQuote,
    Dollar,
    Escape,
    Backtick,
    Operator(u8),
    Heredoc,
    Json,
    Text(String),
}

#[derive(Debug, Arbitrary)]
struct Instruction {
    keyword: Keyword,
    lowercase: bool,
    pieces: Vec<Piece>,
}

#[derive(Debug, Arbitrary)]
struct File {
    bom: bool,
    backtick_escape: bool,
    crlf: bool,
    final_newline: bool,
    instructions: Vec<Instruction>,
}

const WORDS: &[&str] = &[
    "app", "exec", "python", "a.txt", "src/", "x.tar.gz", "https://e.com/f", "*", "--chown=a:b",
    "--link", "--checksum=sha256:00", "nginx", "-g", "daemon off;", "/bin/sh", "[]", "s1", "AS",
];
const OPERATORS: &[&str] = &["&&", "||", ";", "|", ">", "<", "(", ")", "&"];

fn render(file: &File) -> String {
    let nl = if file.crlf { "\r\n" } else { "\n" };
    let esc = if file.backtick_escape { '`' } else { '\\' };
    let mut out = String::new();
    if file.bom {
        out.push('\u{feff}');
    }
    if file.backtick_escape {
        out.push_str("# escape=`");
        out.push_str(nl);
    }
    out.push_str("FROM alpine");
    out.push_str(nl);
    for instruction in &file.instructions {
        let keyword = match instruction.keyword {
            Keyword::From => "FROM",
            Keyword::Add => "ADD",
            Keyword::Copy => "COPY",
            Keyword::Cmd => "CMD",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Label => "LABEL",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Onbuild => "ONBUILD ADD",
            Keyword::User => "USER",
            Keyword::Comment => "#",
        };
        if instruction.lowercase {
            out.push_str(&keyword.to_lowercase());
        } else {
            out.push_str(keyword);
        }
        out.push(' ');
        for piece in &instruction.pieces {
            match piece {
                Piece::Word(i) => out.push_str(WORDS[*i as usize % WORDS.len()]),
                Piece::Space => out.push(' '),
                Piece::Continuation => {
                    out.push(esc);
                    out.push_str(nl);
                    out.push_str("    ");
                }
                Piece::CommentInContinuation => {
                    out.push(esc);
                    out.push_str(nl);
                    out.push_str("# note");
                    out.push_str(nl);
                }
                Piece::DoubleQuote => out.push('"'),
                Piece::SingleQuote => out.push('\''),
                Piece::Dollar => out.push_str("$X"),
                Piece::Escape => out.push(esc),
                Piece::Backtick => out.push('`'),
                Piece::Operator(i) => out.push_str(OPERATORS[*i as usize % OPERATORS.len()]),
                Piece::Heredoc => {
                    out.push_str("<<EOF");
                    out.push_str(nl);
                    out.push_str("body");
                    out.push_str(nl);
                    out.push_str("EOF");
                }
                Piece::Json => out.push_str("[\"a\", \"b c\"]"),
                Piece::Text(t) => out.push_str(t),
            }
        }
        out.push_str(nl);
    }
    if !file.final_newline {
        let trimmed = out.trim_end_matches(['\r', '\n']).len();
        out.truncate(trimmed);
    }
    out
}

fuzz_target!(|file: File| {
    let text = render(&file);
    if let Err(e) = dockerfix::invariants::check_fix_invariants(&text) {
        panic!("{e}\n--- input ---\n{text:?}");
    }
});
