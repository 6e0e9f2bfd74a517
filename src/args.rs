//! Build arguments as BuildKit sees them before any build option is given:
//! the platform ARGs it defines itself, the global `ARG`s (declared before
//! the first `FROM`) with their defaults expanded in order
//! (`buildMetaArgs` in moby/buildkit's `dockerfile2llb/convert.go`), and
//! the names an `ARG` instruction declares.

use parse_dockerfile::Instruction;

use crate::document::Document;
use crate::lexer;

/// The ARGs BuildKit defines for every build, with the values of a build
/// on and for `linux/amd64` (what a lint of the file without a builder can
/// assume).
pub const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDOSVERSION", ""),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETOSVERSION", ""),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("TARGETSTAGE", "default"),
];

/// What the `FROM` lines of a file can use.
#[derive(Debug, Default)]
pub struct GlobalArgs {
    /// Every global `ARG` name, with or without a default.
    pub declared: Vec<String>,
    /// The value of each global `ARG` with a default, in order (a later
    /// one replaces an earlier one of the same name, and a platform ARG's
    /// value).
    pub defaults: Vec<(String, String)>,
}

impl GlobalArgs {
    /// The global ARGs of `doc`; `None` when a default cannot be expanded
    /// (BuildKit then stops with an error before any check). Kept in the
    /// document, which most rules that need it ask.
    pub fn of<'d>(doc: &'d Document<'_>) -> Option<&'d Self> {
        doc.global_args.get_or_init(|| Self::read(doc)).as_ref()
    }

    fn read(doc: &Document<'_>) -> Option<Self> {
        let mut args = GlobalArgs::default();
        for arg in doc.dockerfile.global_args() {
            for (name, default) in declared(&arg.arguments.value, doc.escape) {
                if let Some(default) = default {
                    let value = lexer::expand(default, doc.escape, &|n| args.get(n))
                        .ok()?
                        .value;
                    args.defaults.push((name.to_owned(), value));
                }
                args.declared.push(name.to_owned());
            }
        }
        Some(args)
    }

    /// The value of a set variable: a global `ARG`'s default, else a
    /// platform ARG's value.
    pub fn get(&self, name: &str) -> Option<String> {
        let default = self.defaults.iter().rev().find(|(n, _)| n == name);
        let value = default
            .map(|(_, v)| v.as_str())
            .or_else(|| platform_arg(name))?;
        Some(value.to_owned())
    }

    /// Whether a global `ARG` gives `name` a default.
    pub fn has_default(&self, name: &str) -> bool {
        self.defaults.iter().any(|(n, _)| n == name)
    }

    /// Whether `name` is a platform ARG or a declared global `ARG`.
    pub fn knows(&self, name: &str) -> bool {
        platform_arg(name).is_some() || self.declared.iter().any(|d| d == name)
    }

    /// Every name [`GlobalArgs::knows`], for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.declared
            .iter()
            .map(String::as_str)
            .chain(PLATFORM_ARGS.iter().map(|(name, _)| *name))
    }
}

/// Whether BuildKit defines `name` for every build (`TARGETARCH`, …).
pub fn is_platform_arg(name: &str) -> bool {
    platform_arg(name).is_some()
}

/// The value BuildKit gives the platform ARG `name`.
fn platform_arg(name: &str) -> Option<&'static str> {
    PLATFORM_ARGS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
}

/// The `(name, default as written)` pairs of an `ARG` instruction's
/// arguments.
pub fn declared(arguments: &str, escape: char) -> Vec<(&str, Option<&str>)> {
    lexer::words(arguments, escape)
        .into_iter()
        .map(|range| {
            let word = &arguments[range];
            match word.split_once('=') {
                Some((name, default)) => (name, Some(default)),
                None => (word, None),
            }
        })
        .collect()
}

/// The `(key, value as written)` pairs of an `ENV` or `LABEL` (BuildKit's
/// `parseNameVal`): `key=value` words, or in the legacy form a key and the
/// rest of the line as its value.
pub fn key_values(arguments: &str, escape: char) -> Vec<(&str, &str)> {
    let words = lexer::words(arguments, escape);
    let Some(first) = words.first() else {
        return Vec::new();
    };
    if !arguments[first.clone()].contains('=') {
        let blank = |c: char| matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r');
        let Some((key, rest)) = arguments.split_once(blank) else {
            return Vec::new();
        };
        return vec![(key, rest.trim_start_matches(blank))];
    }
    words
        .into_iter()
        .filter_map(|range| arguments[range].split_once('='))
        .collect()
}

/// The names an `ARG` or `ENV` instruction sets (an `ARG` without a
/// default declares its name too).
pub fn names_set<'i>(instruction: &'i Instruction<'_>, escape: char) -> Vec<&'i str> {
    match instruction {
        Instruction::Arg(arg) => declared(&arg.arguments.value, escape)
            .into_iter()
            .map(|(name, _)| name)
            .collect(),
        Instruction::Env(env) => key_values(&env.arguments.value, escape)
            .into_iter()
            .map(|(name, _)| name)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_defaults_in_order() {
        let doc = Document::parse(
            "ARG BASE=alpine TAG\nARG IMAGE=\"${BASE}:3\"\nARG ARCH=$TARGETARCH\nFROM $IMAGE\nARG LATE=1\n",
        )
        .unwrap();
        let args = GlobalArgs::of(&doc).unwrap();
        assert_eq!(args.declared, ["BASE", "TAG", "IMAGE", "ARCH"]);
        assert_eq!(args.get("IMAGE").as_deref(), Some("alpine:3"));
        assert_eq!(args.get("ARCH").as_deref(), Some("amd64"));
        assert_eq!(args.get("TAG"), None);
        assert!(args.knows("TAG") && args.knows("BUILDPLATFORM") && !args.knows("LATE"));
    }

    #[test]
    fn names_of_arg_and_env() {
        let doc =
            Document::parse("FROM a\nARG A B=1\nENV C=1 D=\"x y\"\nENV E some words\n").unwrap();
        let names: Vec<Vec<&str>> = doc.dockerfile.instructions[1..]
            .iter()
            .map(|i| names_set(i, '\\'))
            .collect();
        assert_eq!(names, [vec!["A", "B"], vec!["C", "D"], vec!["E"]]);
        assert_eq!(key_values("E  some  words", '\\'), [("E", "some  words")]);
        assert_eq!(
            key_values("a=1 b=\"x y\"", '\\'),
            [("a", "1"), ("b", "\"x y\"")]
        );
    }
}
