//! ## What it does
//! Ends the destination of a `COPY` or `ADD` with several sources with a
//! `/`: `COPY package.json package-lock.json /app` becomes
//! `COPY package.json package-lock.json /app/`.
//!
//! ## Why is this bad?
//! Several sources only make sense copied into a folder, and the Dockerfile
//! reference says the destination must then end with `/` (the classic
//! builder refused the line). BuildKit copies each source to the
//! destination in turn: when `/app` is not a folder yet, the first file
//! becomes a file named `/app`, the next one replaces it, and only the last
//! source is left (hadolint DL3021).
//!
//! ## Example
//! ```dockerfile
//! COPY package.json package-lock.json /app
//! ```
//!
//! Use instead:
//! ```dockerfile
//! COPY package.json package-lock.json /app/
//! ```
//!
//! ## Fix safety
//! Safe. Where the destination is a folder already (a `WORKDIR`, an
//! earlier copy), or the sources are folders, the files land in the same
//! places with or without the `/`. Where it is not, the line without it
//! left a single file named like the folder, holding the last source only,
//! which no line with several sources means; the `/` gives the folder it
//! asks for. The destination is read as BuildKit reads it (quotes and
//! escapes removed, `COPY a b "/app"` → `"/app/"`); a destination that
//! already ends with `/` or `\` (a Windows folder) is left alone, and one
//! whose text cannot be extended exactly (escapes or a line break inside
//! it) is reported without a fix.

use parse_dockerfile::{Instruction, UnescapedString};

use super::{FixKind, Report, Rule};
use crate::document::{Document, keyword_span};
use crate::edits::{Applicability, Edit, Fix};
use crate::words::build_word;

pub static RULE: Rule = Rule {
    id: "copy-dest-slash",
    codes: &["DL3021"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "End the destination of a COPY or ADD with several sources with `/`",
    source: include_str!("copy_dest_slash.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for instruction in doc.all_instructions() {
        let (keyword, sources, dest) = match instruction {
            Instruction::Copy(copy) => ("COPY", copy.src.len(), &copy.dest),
            Instruction::Add(add) => ("ADD", add.src.len(), &add.dest),
            _ => continue,
        };
        if sources < 2 {
            continue;
        }
        let Some(word) = build_word(&dest.value, doc.escape) else {
            continue;
        };
        if word.value.ends_with(['/', '\\']) {
            continue;
        }
        let span = keyword_span(instruction).start..dest.span.end;
        let message = format!(
            "{keyword} with several sources: end the destination with `/` (it must be a folder)"
        );
        let fix = slash_insertion(doc, dest).map(|at| Fix::safe(vec![Edit::insert(at, "/")]));
        report.push(span, message, fix);
    }
}

/// Where a `/` goes so that the destination reads as its value plus `/`:
/// before a closing quote (`"/app"`, a JSON string), else at its end.
fn slash_insertion(doc: &Document<'_>, dest: &UnescapedString<'_>) -> Option<usize> {
    let raw = doc.text.get(dest.span.clone())?;
    let value = |text: &str| -> Option<String> {
        if text.starts_with('"') && doc.text[..dest.span.start].trim_end().ends_with([',', '[']) {
            // A string of the JSON form.
            let json: String = serde_json::from_str(text).ok()?;
            return build_word(&json, doc.escape).map(|w| w.value);
        }
        build_word(text, doc.escape).map(|w| w.value)
    };
    let wanted = format!("{}/", value(raw)?);
    let before_last = raw.char_indices().last().map(|(i, _)| i)?;
    [before_last, raw.len()].into_iter().find_map(|cut| {
        let candidate = format!("{}/{}", &raw[..cut], &raw[cut..]);
        (value(&candidate).as_deref() == Some(wanted.as_str())).then_some(dest.span.start + cut)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(source: &str) -> String {
        let doc = Document::parse(source).unwrap();
        let findings = crate::rules::check(&doc, &[&RULE]);
        let fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
        crate::edits::apply_fixes(source, &fixes).0
    }

    #[test]
    fn slash_goes_inside_quotes() {
        assert_eq!(fixed("FROM a\nCOPY a b /app\n"), "FROM a\nCOPY a b /app/\n");
        assert_eq!(
            fixed("FROM a\nCOPY a b \"/app\"\n"),
            "FROM a\nCOPY a b \"/app/\"\n"
        );
        assert_eq!(
            fixed("FROM a\nCOPY a b '/app'\n"),
            "FROM a\nCOPY a b '/app/'\n"
        );
        assert_eq!(
            fixed("FROM a\nCOPY [\"a\", \"b\", \"/app\"]\n"),
            "FROM a\nCOPY [\"a\", \"b\", \"/app/\"]\n"
        );
        assert_eq!(
            fixed("FROM a\nCOPY a b ${DIR}\n"),
            "FROM a\nCOPY a b ${DIR}/\n"
        );
        assert_eq!(
            fixed("FROM a\nCOPY a b /app/\nCOPY a /app\n"),
            "FROM a\nCOPY a b /app/\nCOPY a /app\n"
        );
    }
}
