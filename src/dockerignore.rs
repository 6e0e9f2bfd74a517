//! `.dockerignore` files read and matched as BuildKit reads and matches
//! them: moby's `ignorefile.ReadAll` (lines trimmed, `#` comments, `!`
//! exceptions, each pattern cleaned like Go's `filepath.Clean` and a
//! leading `/` dropped) and `patternmatcher` (each pattern translated to a
//! regular expression: `*` and `?` stop at `/`, `**` crosses folders,
//! `[…]` classes, `\` escapes; a path is excluded when the last pattern
//! that matches it or one of its parent folders is not an exception).
//!
//! No maintained Rust crate implements these semantics (the `ignore`
//! crate's gitignore rules differ: unanchored names, `/` suffixes,
//! negation inside excluded folders), so this is a port; the tests below
//! hold cases from moby's own tests.

use regex::Regex;

/// One pattern of a `.dockerignore`.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// As cleaned (no `!`).
    pub text: String,
    pub exception: bool,
    matcher: Matcher,
}

#[derive(Debug, Clone)]
enum Matcher {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Regex(Regex),
    /// A pattern Go's regexp would refuse: matches nothing (BuildKit
    /// fails the build instead; `check` is not the place to say so).
    Invalid,
}

/// The patterns of a `.dockerignore`, in order.
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    pub patterns: Vec<Pattern>,
}

impl Ignore {
    /// Reads a `.dockerignore`'s text as `ignorefile.ReadAll` does.
    pub fn parse(text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, rest) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            if rest.is_empty() {
                continue;
            }
            let mut cleaned = clean(rest);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            patterns.push(Pattern::new(cleaned, exception));
        }
        Self { patterns }
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out
    /// of the context: `MatchesOrParentMatches`.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        let parents: Vec<&str> = match path.rfind('/') {
            Some(end) => path[..end].split('/').collect(),
            None => Vec::new(),
        };
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exception != matched {
                continue;
            }
            let mut hit = pattern.matches(&path);
            if !hit {
                for i in 0..parents.len() {
                    if pattern.matches(&parents[..=i].join("/")) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !pattern.exception;
            }
        }
        matched
    }

    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exception)
    }
}

impl Pattern {
    fn new(text: String, exception: bool) -> Self {
        let matcher = compile(&text);
        Self {
            text,
            exception,
            matcher,
        }
    }

    fn matches(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(p) => path == p,
            Matcher::Prefix(p) => path.starts_with(p.as_str()),
            Matcher::Suffix(s) => {
                path.ends_with(s.as_str()) || (s.starts_with('/') && path == &s[1..])
            }
            Matcher::Regex(r) => r.is_match(path),
            Matcher::Invalid => false,
        }
    }
}

/// patternmatcher's `compile`: the regular expression of a pattern, and
/// its shortcuts for exact, prefix (`a/**`) and suffix (`**/a`) matches.
fn compile(pattern: &str) -> Matcher {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let mut regex = String::from("^");
    let mut kind = Kind::Exact;
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i == chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        regex.push_str(".*");
                        kind = Kind::Regex;
                    }
                } else {
                    regex.push_str("(.*/)?");
                    kind = Kind::Regex;
                }
                if first {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                regex.push_str("[^/]*");
                kind = Kind::Regex;
            }
            '?' => {
                regex.push_str("[^/]");
                kind = Kind::Regex;
            }
            '.' | '$' | '+' | '(' | ')' | '|' | '{' | '}' => {
                regex.push('\\');
                regex.push(c);
            }
            '\\' => {
                regex.push('\\');
                match chars.get(i) {
                    Some(&next) => {
                        regex.push(next);
                        i += 1;
                        kind = Kind::Regex;
                    }
                    None => regex.push('\\'),
                }
            }
            '[' | ']' => {
                regex.push(c);
                kind = Kind::Regex;
            }
            c => regex.push(c),
        }
        first = false;
    }
    regex.push('$');
    match kind {
        Kind::Exact => Matcher::Exact(pattern.to_owned()),
        Kind::Prefix => Matcher::Prefix(pattern[..pattern.len() - 2].to_owned()),
        Kind::Suffix => Matcher::Suffix(pattern[2..].to_owned()),
        Kind::Regex => Regex::new(&regex).map_or(Matcher::Invalid, Matcher::Regex),
    }
}

/// Go's `filepath.Clean` on a `/`-separated path.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excludes(patterns: &str, path: &str) -> bool {
        Ignore::parse(patterns).excludes(path)
    }

    /// Cases of moby's patternmatcher tests (TestMatches,
    /// TestMatchesOrParentMatches) and the Dockerfile reference.
    #[test]
    fn moby_semantics() {
        let cases: &[(&str, &str, bool)] = &[
            ("**", "file", true),
            ("**", "file/", true),
            ("**/", "file", true),
            ("**/", "dir/file", true),
            ("**/file", "file", true),
            ("**/file", "dir/file", true),
            ("**/file", "dir/dir/file", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/dir2/file", true),
            ("**/dir", "dir", true),
            ("**/dir", "dir/file", true),
            ("**/dir2/*", "dir/dir2/file", true),
            ("**/dir2/**", "dir/dir2/dir3/file", true),
            ("**file", "file", true),
            ("**file", "dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("dir/**/file", "dir/file", true),
            ("dir/**/file", "dir/dir2/file", true),
            ("dir/**/file", "dir/dir2/dir3/file", true),
            ("**/file", "dir/dir/file", true),
            ("*", "file", true),
            ("*", "dir/file", true),
            ("*.go", "file.go", true),
            ("*.go", "dir/file.go", false),
            ("a?c", "abc", true),
            ("a?c", "a/c", false),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "dx", true),
            ("[^a-c]x", "bx", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("abc.def", "abcdef", false),
            ("abc.def", "abc.def", true),
            ("a(b)c", "a(b)c", true),
            ("/foo", "foo", true),
            ("./foo/", "foo/bar", true),
            ("foo/../bar", "bar", true),
            ("node_modules", "node_modules/x/y.js", true),
            ("node_modules", "app/node_modules/x", false),
            (
                "*.md\n!README*.md\nREADME-secret.md",
                "README-secret.md",
                true,
            ),
            ("*.md\n!README*.md\nREADME-secret.md", "README.md", false),
            ("*.md\n!README*.md\nREADME-secret.md", "notes.md", true),
            ("docs\n!docs/keep.md", "docs/keep.md", false),
            ("docs\n!docs/keep.md", "docs/other.md", true),
            ("# comment\n\n  .git  ", ".git/HEAD", true),
            ("!", "x", false),
        ];
        for (patterns, path, want) in cases {
            assert_eq!(excludes(patterns, path), *want, "{patterns:?} on {path:?}");
        }
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("./a//b/../c/"), "a/c");
        assert_eq!(clean("/"), "/");
        assert_eq!(clean("."), ".");
        assert_eq!(clean("../x"), "../x");
    }
}
