//! ## What it does
//! Pins every image a build pulls to the digest its tag points to now:
//! `FROM python:3.12-slim` becomes `FROM python:3.12-slim@sha256:…`. It
//! covers `FROM` (not stage names, not `scratch`), `COPY --from=<image>`,
//! `RUN --mount=…,from=<image>` (in `ONBUILD` too, where a name without
//! `/`, `:` or `@` may be a stage of the build that triggers it and is left
//! alone) and the `# syntax=` directive. When a global
//! `ARG` holds a whole reference (`ARG BASE=python:3.12-slim` with
//! `FROM ${BASE}`), the ARG's default is pinned.
//!
//! `dockerfix check` finds unpinned images from the text alone. Only
//! `dockerfix fix --pin` (or `--update-digests`, or `--select pin-digest`)
//! asks the registries: a plain `fix` stays off the network, as a
//! pre-commit hook should (each tag once per run, many at once,
//! with an on-disk cache; `--offline` uses the cache only), and a run that
//! pins nothing asks nothing. With `--update-digests`, a pinned
//! `name:tag@sha256:…` whose tag now points elsewhere gets the new digest.
//!
//! ## Why is this bad?
//! A tag moves: `python:3.12-slim` is rebuilt for every patch release and
//! base image update, and `latest` (or no tag at all) moves with every
//! release. The same Dockerfile then builds a different image tomorrow, and
//! a compromised or broken tag reaches every build silently (hadolint
//! DL3006, DL3007; Trivy DS001; OpenSSF Scorecard Pinned-Dependencies).
//! A digest names exactly one image; the tag stays in the reference for
//! people to read, and tools such as Renovate keep it fresh.
//!
//! ## Example
//! ```dockerfile
//! # syntax=docker/dockerfile:1
//! FROM python:3.12-slim AS build
//! COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv
//! ```
//!
//! Use instead:
//! ```dockerfile
//! # syntax=docker/dockerfile:1@sha256:…
//! FROM python:3.12-slim@sha256:… AS build
//! COPY --from=ghcr.io/astral-sh/uv:0.4@sha256:… /uv /bin/uv
//! ```
//!
//! ## Fix safety
//! Safe: the image is the one the tag points to at the time of the fix, so
//! the next build uses the same image it would have used. For a
//! multi-platform image the digest is the image index (manifest list), which
//! serves every platform, never one platform's manifest. The fix is an
//! insertion of `@sha256:…` after the reference as written; nothing else
//! changes. References built from variables are reported, not fixed:
//! `FROM python:${PY}-slim` would ignore a pin once `--build-arg PY=…`
//! changes the tag. A reference whose tag does not resolve is an error for
//! that reference only; the file's other fixes still apply.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use parse_dockerfile::{Flag, Instruction};

use super::{FixKind, Report, Rule};
use crate::document::Document;
use crate::edits::{Applicability, Edit, Fix};
use crate::registry::{ImageName, ImageReference, InvalidReference, parse_reference};

pub static RULE: Rule = Rule {
    id: "pin-digest",
    codes: &["DL3006", "DL3007", "DS001"],
    fix: FixKind::Always(Applicability::Safe),
    summary: "Pin images (FROM, COPY --from, RUN --mount, # syntax) to the digest of their tag",
    source: include_str!("pin_digest.rs"),
    check,
};

/// The option that makes `fix` look digests up (and so pin).
pub const PIN_OPTION: &str = "--pin";

/// Where an image reference is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Syntax,
    From,
    CopyFrom,
    MountFrom,
    /// The default of a global ARG that a FROM uses as its whole image.
    ArgDefault(String),
}

impl Place {
    /// How a message names the reference `text` written here.
    fn subject(&self, text: &str) -> String {
        match self {
            Place::Syntax => format!("syntax image `{text}`"),
            Place::From => format!("image `{text}`"),
            Place::CopyFrom => format!("COPY --from image `{text}`"),
            Place::MountFrom => format!("RUN --mount image `{text}`"),
            Place::ArgDefault(name) => format!("ARG {name}'s default `{text}` (a FROM's image)"),
        }
    }
}

/// An image reference in a document.
#[derive(Debug, Clone)]
pub struct ImageUse {
    /// The reference as written, in bytes of the document's text.
    pub span: Range<usize>,
    /// The reference's value (escapes and quotes removed).
    pub text: String,
    pub place: Place,
    pub state: State,
}

#[derive(Debug, Clone)]
pub enum State {
    /// A reference without variables. `editable`: the text at `span` is
    /// exactly `text`, so a pin can be inserted in place.
    Literal {
        reference: ImageReference,
        editable: bool,
    },
    /// Built from variables; `why` says why it is not pinned.
    Variable {
        why: String,
    },
    Invalid(InvalidReference),
}

fn check(doc: &Document<'_>, report: &mut Report) {
    let context = report.context();
    for image in image_uses(doc) {
        let text = &image.text;
        let what = image.place.subject(text);
        match &image.state {
            State::Invalid(error) => {
                report.push(image.span, format!("{error}: cannot pin it"), None)
            }
            State::Variable { why } => {
                report.push(image.span, format!("{what} is not pinned: {why}"), None)
            }
            State::Literal {
                reference,
                editable,
            } => {
                let resolved = context.digests.and_then(|d| d.get(&reference.name));
                let name_end = image.span.start + reference.name_len;
                match &reference.digest {
                    None => {
                        let message = unpinned_message(&what, reference, *editable);
                        // Digests are looked up only when pinning is asked for.
                        if context.digests.is_none() && *editable {
                            report.push_fixable_with(image.span, message, PIN_OPTION);
                            continue;
                        }
                        let fix = resolved.filter(|_| *editable).map(|digest| {
                            Fix::safe(vec![Edit::insert(name_end, format!("@{digest}"))])
                        });
                        report.push(image.span, message, fix);
                    }
                    Some(pinned) if context.update_digests && reference.tagged => {
                        let Some(current) = resolved.filter(|d| d.as_str() != pinned) else {
                            continue;
                        };
                        let fix = editable.then(|| {
                            Fix::safe(vec![Edit::replace(
                                name_end + 1..image.span.start + text.len(),
                                current.to_string(),
                            )])
                        });
                        let tag = image.place.subject(&text[..reference.name_len]);
                        report.push(
                            image.span,
                            format!(
                                "{tag} is pinned to {pinned}, but the tag now points to {current}"
                            ),
                            fix,
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

fn unpinned_message(what: &str, reference: &ImageReference, editable: bool) -> String {
    let mut message = if !reference.tagged {
        format!("{what} has no tag and no digest: it follows `latest`; pin it to a digest")
    } else if reference.name.tag == "latest" {
        format!("{what} follows `latest`, which moves with every release; pin it to a digest")
    } else {
        format!("{what} is not pinned to a digest")
    };
    if !editable {
        message.push_str(" (it is written with escapes or quotes: pin it by hand)");
    }
    message
}

/// The names `fix` must resolve for `doc`: every unpinned literal reference,
/// and with `update_digests` every pinned one that has a tag.
pub fn lookups(doc: &Document<'_>, update_digests: bool) -> Vec<(Range<usize>, String, ImageName)> {
    image_uses(doc)
        .into_iter()
        .filter_map(|image| match image.state {
            State::Literal { reference, .. }
                if reference.digest.is_none() || (update_digests && reference.tagged) =>
            {
                Some((image.span, image.text, reference.name))
            }
            _ => None,
        })
        .collect()
}

/// Every image reference of `doc` that names an image (not a stage, not
/// `scratch`), in text order.
pub fn image_uses(doc: &Document<'_>) -> Vec<ImageUse> {
    let mut uses = Vec::new();
    if let Some(syntax) = &doc.dockerfile.parser_directives.syntax {
        uses.push(literal_use(
            doc,
            syntax.value.span.clone(),
            syntax.value.value,
            Place::Syntax,
        ));
    }
    let stages = stage_names(doc);
    let args = global_arg_defaults(doc);
    let mut pinned_args = BTreeSet::new();
    for instruction in &doc.dockerfile.instructions {
        match instruction {
            Instruction::From(from) => {
                let image = &from.image;
                let value = image.value.as_ref();
                if value.eq_ignore_ascii_case("scratch")
                    || stages.contains(&value.to_ascii_lowercase())
                {
                    continue;
                }
                if !value.contains('$') {
                    uses.push(literal_use(doc, image.span.clone(), value, Place::From));
                } else if let Some(image_use) = from_variable(doc, image.span.clone(), value, &args)
                {
                    // One finding per ARG, however many FROMs use it.
                    if matches!(image_use.place, Place::ArgDefault(_))
                        && !pinned_args.insert(image_use.span.start)
                    {
                        continue;
                    }
                    uses.push(image_use);
                }
            }
            Instruction::Onbuild(onbuild) => {
                // A stage named there is one of the build that triggers it:
                // only what cannot be a stage name is an image.
                uses.extend(from_flags(doc, &onbuild.instruction, &|v| {
                    !v.contains(['/', ':', '@'])
                }));
            }
            other => uses.extend(from_flags(doc, other, &|v| is_stage(v, &stages))),
        }
    }
    uses.sort_by_key(|u| u.span.start);
    uses
}

fn literal_use(doc: &Document<'_>, span: Range<usize>, value: &str, place: Place) -> ImageUse {
    let editable = doc.text.get(span.clone()) == Some(value);
    let state = if value.contains('$') {
        State::Variable {
            why: variable_reason(value),
        }
    } else {
        match parse_reference(value) {
            Ok(reference) => State::Literal {
                reference,
                editable,
            },
            Err(error) => State::Invalid(error),
        }
    };
    ImageUse {
        span,
        text: value.to_owned(),
        place,
        state,
    }
}

fn variable_reason(value: &str) -> String {
    let names = variable_names(value);
    format!(
        "it is built from {} (a --build-arg would replace the tag and silently drop a pin); \
         pin it by hand, or let one ARG hold the whole reference",
        if names.is_empty() {
            "variables".to_owned()
        } else {
            format!("ARG {}", names.join(", "))
        }
    )
}

/// Lower-case names of every stage (`FROM … AS name`).
fn stage_names(doc: &Document<'_>) -> BTreeSet<String> {
    doc.stages()
        .filter_map(|stage| stage.from.as_.as_ref())
        .map(|(_, name)| name.value.to_ascii_lowercase())
        .collect()
}

/// A global ARG's default: its value, where the value is written, and
/// whether that text is the value itself (no escapes).
struct ArgDefault {
    value: String,
    span: Range<usize>,
    editable: bool,
}

/// The defaults of the global ARGs (before the first FROM); a later ARG of
/// the same name wins. `None` = declared without a default.
fn global_arg_defaults(doc: &Document<'_>) -> HashMap<String, Option<ArgDefault>> {
    let mut defaults = HashMap::new();
    for arg in doc.dockerfile.global_args() {
        let span = &arg.arguments.span;
        let raw = &doc.text[span.clone()];
        let editable = raw == arg.arguments.value;
        for (name, value) in arg_pairs(raw) {
            let default = value.map(|(range, text)| ArgDefault {
                value: text.to_owned(),
                span: span.start + range.start..span.start + range.end,
                editable,
            });
            defaults.insert(name.to_owned(), default);
        }
    }
    defaults
}

/// An ARG's name, and its value with where it is written.
type ArgPair<'a> = (&'a str, Option<(Range<usize>, &'a str)>);

/// `NAME=value NAME2 NAME3="value"` → names with the range of each value
/// (inside quotes) in `raw`.
fn arg_pairs(raw: &str) -> Vec<ArgPair<'_>> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for token in raw.split([' ', '\t']) {
        let start = offset;
        offset += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        let Some((name, value)) = token.split_once('=') else {
            pairs.push((token, None));
            continue;
        };
        let mut value_start = start + name.len() + 1;
        let mut value = value;
        for quote in ['"', '\''] {
            if let Some(inner) = value
                .strip_prefix(quote)
                .and_then(|v| v.strip_suffix(quote))
            {
                value = inner;
                value_start += 1;
            }
        }
        pairs.push((name, Some((value_start..value_start + value.len(), value))));
    }
    pairs
}

/// `FROM ${BASE}` / `FROM $BASE`: the ARG's default is pinned. Any other
/// use of variables is reported.
fn from_variable(
    doc: &Document<'_>,
    span: Range<usize>,
    value: &str,
    args: &HashMap<String, Option<ArgDefault>>,
) -> Option<ImageUse> {
    let Some(name) = whole_variable(value) else {
        return Some(literal_use(doc, span, value, Place::From));
    };
    let report = |why: String| ImageUse {
        span: span.clone(),
        text: value.to_owned(),
        place: Place::From,
        state: State::Variable { why },
    };
    match args.get(name) {
        None => Some(report(format!(
            "ARG {name} is not declared before the first FROM"
        ))),
        Some(None) => Some(report(format!(
            "ARG {name} has no default, so the image is only known at build time"
        ))),
        Some(Some(default)) if default.value.contains('$') => Some(report(format!(
            "ARG {name}'s default `{}` is built from variables",
            default.value
        ))),
        Some(Some(default)) => {
            let mut image_use = literal_use(
                doc,
                default.span.clone(),
                &default.value,
                Place::ArgDefault(name.to_owned()),
            );
            if let State::Literal { editable, .. } = &mut image_use.state {
                *editable &= default.editable;
            }
            Some(image_use)
        }
    }
}

/// `$NAME` or `${NAME}` and nothing else: the variable's name.
fn whole_variable(value: &str) -> Option<&str> {
    let name = value.strip_prefix('$')?;
    let name = match name.strip_prefix('{') {
        Some(braced) => braced.strip_suffix('}')?,
        None => name,
    };
    let mut chars = name.chars();
    let first = chars.next()?;
    let valid = (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

/// The names of the variables used in `value` (`$A`, `${B}`, `${C:-x}`).
fn variable_names(value: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let braced = rest.strip_prefix('{');
        let body = braced.unwrap_or(rest);
        let end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if end > 0 && !names.iter().any(|n| n == &body[..end]) {
            names.push(body[..end].to_owned());
        }
        rest = body;
    }
    names
}

/// The images of `COPY --from=…` and `RUN --mount=…,from=…`; `is_stage`
/// tells the values that name a stage.
fn from_flags(
    doc: &Document<'_>,
    instruction: &Instruction<'_>,
    is_stage: &dyn Fn(&str) -> bool,
) -> Vec<ImageUse> {
    match instruction {
        Instruction::Copy(copy) => copy
            .options
            .iter()
            .filter(|f| f.name.value == "from")
            .filter_map(|flag| copy_from(doc, flag, is_stage))
            .collect(),
        Instruction::Run(run) => run
            .options
            .iter()
            .filter(|f| f.name.value == "mount")
            .filter_map(|flag| mount_from(doc, flag, is_stage))
            .collect(),
        _ => Vec::new(),
    }
}

/// A stage is named, or numbered from 0.
fn is_stage(value: &str, stages: &BTreeSet<String>) -> bool {
    value.bytes().all(|b| b.is_ascii_digit()) || stages.contains(&value.to_ascii_lowercase())
}

fn copy_from(
    doc: &Document<'_>,
    flag: &Flag<'_>,
    is_stage: &dyn Fn(&str) -> bool,
) -> Option<ImageUse> {
    let value = flag.value.as_ref()?;
    if value.value.is_empty() || is_stage(&value.value) {
        return None;
    }
    Some(literal_use(
        doc,
        value.span.clone(),
        &value.value,
        Place::CopyFrom,
    ))
}

/// The `from=` field of `--mount=type=…,from=…,…`.
fn mount_from(
    doc: &Document<'_>,
    flag: &Flag<'_>,
    is_stage: &dyn Fn(&str) -> bool,
) -> Option<ImageUse> {
    let value = flag.value.as_ref()?;
    let raw_matches = doc.text.get(value.span.clone()) == Some(value.value.as_ref());
    let mut offset = 0;
    for field in value.value.split(',') {
        let start = offset;
        offset += field.len() + 1;
        let Some(image) = field.strip_prefix("from=") else {
            continue;
        };
        if image.is_empty() || is_stage(image) {
            return None;
        }
        let begin = value.span.start + start + "from=".len();
        let mut image_use = literal_use(doc, begin..begin + image.len(), image, Place::MountFrom);
        if !raw_matches {
            // The span cannot be trusted when the flag had escapes.
            image_use.span = value.span.clone();
            if let State::Literal { editable, .. } = &mut image_use.state {
                *editable = false;
            }
        }
        return Some(image_use);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Digest;
    use crate::rules::{Context, check_with};

    const INDEX: &str = "sha256:57aac6f52a9fb41e03e9b5de43b051a92791040d53d6ad033029d751e7135ddd";

    fn texts(source: &str) -> Vec<(String, bool)> {
        let doc = Document::parse(source).unwrap();
        image_uses(&doc)
            .into_iter()
            .map(|u| {
                let literal = matches!(u.state, State::Literal { .. });
                assert!(
                    !literal || doc.text[u.span.clone()] == u.text,
                    "span of {}",
                    u.text
                );
                (u.text, literal)
            })
            .collect()
    }

    /// Fixes `source` with pin-digest alone, every name resolving to `digest`.
    fn pin(source: &str, digest: &str, update: bool) -> String {
        let doc = Document::parse(source).unwrap();
        let digest = Digest::parse(digest).unwrap();
        let digests: HashMap<ImageName, Digest> = lookups(&doc, update)
            .into_iter()
            .map(|(_, _, name)| (name, digest.clone()))
            .collect();
        let context = Context {
            digests: Some(&digests),
            update_digests: update,
            build: None,
        };
        let findings = check_with(&doc, &[&RULE], &Default::default(), context);
        let outcome = crate::edits::fix_until_stable(
            &doc,
            &findings,
            |d| check_with(d, &[&RULE], &Default::default(), context),
            false,
        )
        .unwrap();
        outcome.text
    }

    #[test]
    fn finds_every_image_but_stages_and_scratch() {
        let source = "# syntax=docker/dockerfile:1\n\
            FROM python:3.12-slim AS build\n\
            FROM build AS test\n\
            FROM scratch\n\
            COPY --from=build /a /a\n\
            COPY --from=0 /a /a\n\
            COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /uv\n\
            RUN --mount=type=bind,from=alpine:3.20,target=/x true\n\
            RUN --mount=type=cache,target=/root/.cache,from=build true\n\
            ONBUILD COPY --from=busybox:1.36 /bin/busybox /bin/\n\
            ONBUILD COPY --from=builder /app /app\n\
            ONBUILD RUN --mount=from=docker.io/library/golang,target=/go true\n";
        assert_eq!(
            texts(source),
            [
                ("docker/dockerfile:1".into(), true),
                ("python:3.12-slim".into(), true),
                ("ghcr.io/astral-sh/uv:0.4".into(), true),
                ("alpine:3.20".into(), true),
                ("busybox:1.36".into(), true),
                ("docker.io/library/golang".into(), true),
            ]
        );
    }

    #[test]
    fn variables() {
        let source = "ARG PY=3.12\nARG BASE=python:3.12-slim\nARG BARE\n\
            FROM python:${PY}-slim\nFROM ${BASE}\nFROM $BASE AS again\nFROM ${BARE}\nFROM $NOPE\n";
        let doc = Document::parse(source).unwrap();
        let uses = image_uses(&doc);
        let summary: Vec<String> = uses
            .iter()
            .map(|u| match &u.state {
                State::Literal { .. } => format!("pin {} at {:?}", u.text, u.place),
                State::Variable { why } => format!("report {}: {why}", u.text),
                State::Invalid(e) => format!("invalid {e}"),
            })
            .collect();
        assert_eq!(summary.len(), 4, "{summary:#?}");
        assert!(summary[0].starts_with("pin python:3.12-slim at ArgDefault(\"BASE\")"));
        assert!(summary[1].contains("report python:${PY}-slim: it is built from ARG PY"));
        assert!(summary[2].contains("ARG BARE has no default"));
        assert!(summary[3].contains("ARG NOPE is not declared"));
    }

    #[test]
    fn pins_in_place() {
        let d = INDEX;
        assert_eq!(
            pin("FROM python:3.12-slim AS build\r\nFROM build\r\n", d, false),
            format!("FROM python:3.12-slim@{d} AS build\r\nFROM build\r\n")
        );
        assert_eq!(
            pin("FROM --platform=$BUILDPLATFORM python\n", d, false),
            format!("FROM --platform=$BUILDPLATFORM python@{d}\n")
        );
        assert_eq!(
            pin(
                "ARG BASE=\"python:3\" OTHER=1\nFROM ${BASE}\nFROM $BASE\n",
                d,
                false
            ),
            format!("ARG BASE=\"python:3@{d}\" OTHER=1\nFROM ${{BASE}}\nFROM $BASE\n")
        );
        assert_eq!(
            pin(
                "FROM a\nRUN --mount=type=bind,from=localhost:5000/t/x:1,target=/x true\n",
                d,
                false
            ),
            format!(
                "FROM a@{d}\nRUN --mount=type=bind,from=localhost:5000/t/x:1@{d},target=/x true\n"
            )
        );
        assert_eq!(
            pin(
                "# syntax=docker/dockerfile:1\nFROM a\nCOPY --from=b:1 / /\n",
                d,
                false
            ),
            format!("# syntax=docker/dockerfile:1@{d}\nFROM a@{d}\nCOPY --from=b:1@{d} / /\n")
        );
    }

    #[test]
    fn existing_pins_only_change_with_update_digests() {
        let old = format!("sha256:{}", "0".repeat(64));
        let source = format!("FROM python:3.12@{old}\nFROM alpine@{old}\n");
        assert_eq!(pin(&source, INDEX, false), source);
        assert_eq!(
            pin(&source, INDEX, true),
            format!("FROM python:3.12@{INDEX}\nFROM alpine@{old}\n"),
            "an untagged pin has no tag to follow"
        );
    }

    #[test]
    fn no_digests_no_fix() {
        let doc = Document::parse("FROM python:3.12\nFROM python\nFROM python:latest\n").unwrap();
        let findings = crate::rules::check(&doc, &[&RULE]);
        assert_eq!(findings.len(), 3);
        assert!(findings.iter().all(|f| f.fix.is_none()));
        assert!(findings[1].message.contains("no tag"));
        assert!(findings[2].message.contains("`latest`"));
    }

    #[test]
    fn arg_pair_ranges() {
        let raw = "A=1  B=\"x y\" C 'D'=e F='g'";
        let pairs = arg_pairs(raw);
        let (name, value) = &pairs[0];
        assert_eq!(
            (*name, value.as_ref().map(|v| &raw[v.0.clone()])),
            ("A", Some("1"))
        );
        assert_eq!(
            pairs
                .iter()
                .find(|p| p.0 == "F")
                .unwrap()
                .1
                .as_ref()
                .unwrap()
                .1,
            "g"
        );
        assert!(pairs.iter().any(|p| p.0 == "C" && p.1.is_none()));
    }

    #[test]
    fn variable_name_parsing() {
        assert_eq!(whole_variable("${BASE}"), Some("BASE"));
        assert_eq!(whole_variable("$BASE"), Some("BASE"));
        assert_eq!(whole_variable("${BASE}-x"), None);
        assert_eq!(whole_variable("${BASE:-python}"), None);
        assert_eq!(variable_names("a:${X}-$Y_1-${Z:-q}"), ["X", "Y_1", "Z"]);
    }
}
