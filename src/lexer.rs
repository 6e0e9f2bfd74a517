//! Words as BuildKit reads the instructions it expands itself (`FROM`,
//! `ENV`, `LABEL`, `ARG`, `COPY`, `ADD`, `WORKDIR`, `USER`, `VOLUME`,
//! `STOPSIGNAL`): the blank-separated words of an `ENV` or `LABEL` line
//! (`parseWords` in moby/buildkit's `frontend/dockerfile/parser/
//! line_parsers.go`), and a word's value with the variables it uses found
//! or not (`ProcessWordWithMatches` in `frontend/dockerfile/shell/lex.go`).
//! `RUN`, `CMD` and `ENTRYPOINT` in shell form are the shell's business
//! (see `crate::shell`).

use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

/// The byte ranges of the words of an `ENV`/`LABEL` argument text, split at
/// blanks outside quotes; quotes and escapes stay in the words (BuildKit's
/// `parseWords`).
pub fn words(text: &str, escape: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, _)) = chars.peek() {
        if chars.next_if(|(_, c)| c.is_whitespace()).is_some() {
            continue;
        }
        let mut quote = None;
        let mut end = text.len();
        while let Some((at, c)) = chars.next() {
            match quote {
                None if c.is_whitespace() => {
                    end = at;
                    break;
                }
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                Some('\'') => {}
                _ if c == escape => {
                    chars.next();
                }
                _ => {}
            }
        }
        out.push(start..end);
    }
    out
}

/// A word expanded the way BuildKit expands it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expansion {
    pub value: String,
    /// Variables it used that are set, in order of use.
    pub matched: Vec<String>,
    /// Variables it used that are not set (a `${X:-default}` counts too, as
    /// in BuildKit).
    pub unmatched: Vec<String>,
}

/// Why a word cannot be expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpandError {
    /// BuildKit fails on it too (an unclosed quote or `${`, a bad modifier).
    Syntax,
    /// A pattern operator (`${X%.*}`, `${X/a/b}`) this module does not
    /// evaluate; the variables before it are known.
    Pattern,
}

/// Expands `word` (quotes removed, escapes applied, `$X`, `${X}`,
/// `${X:-d}`, `${X:+a}`, `${X?m}`, `${X#p}`, `${X%p}`), `lookup` giving the
/// value of a set variable.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Expansion, ExpandError> {
    let mut lexer = Lexer {
        chars: word.char_indices().peekable(),
        escape,
        lookup,
        out: Expansion::default(),
    };
    let value = lexer.until(None, false)?;
    Ok(Expansion { value, ..lexer.out })
}

/// The names of the variables `word` refers to, in order (up to where
/// BuildKit would stop reading it).
pub fn variables(word: &str, escape: char) -> Vec<String> {
    if !word.contains('$') {
        return Vec::new();
    }
    let mut lexer = Lexer {
        chars: word.char_indices().peekable(),
        escape,
        lookup: &|_| None,
        out: Expansion::default(),
    };
    // What it read before a syntax error or a pattern still counts.
    let _ = lexer.until(None, false);
    lexer.out.unmatched
}

struct Lexer<'w, 'l> {
    chars: Peekable<CharIndices<'w>>,
    escape: char,
    lookup: &'l dyn Fn(&str) -> Option<String>,
    out: Expansion,
}

impl Lexer<'_, '_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn next(&mut self) -> Option<char> {
        self.chars.next().map(|(_, c)| c)
    }

    /// `processStopOn`: up to `stop` (consumed) or the end of the word.
    fn until(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<String, ExpandError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.next();
                return Ok(out);
            }
            match c {
                '$' => out.push_str(&self.dollar()?),
                '\'' => out.push_str(&self.single_quoted()?),
                '"' => out.push_str(&self.double_quoted(raw_escapes)?),
                c if c == self.escape => {
                    self.next();
                    if raw_escapes {
                        out.push(c);
                    }
                    match self.next() {
                        Some(escaped) => out.push(escaped),
                        None => break,
                    }
                }
                c => {
                    self.next();
                    out.push(c);
                }
            }
        }
        match stop {
            Some(_) => Err(ExpandError::Syntax),
            None => Ok(out),
        }
    }

    fn single_quoted(&mut self) -> Result<String, ExpandError> {
        self.next();
        let mut out = String::new();
        loop {
            match self.next().ok_or(ExpandError::Syntax)? {
                '\'' => return Ok(out),
                c => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self, raw_escapes: bool) -> Result<String, ExpandError> {
        self.next();
        let mut out = String::new();
        loop {
            match self.peek().ok_or(ExpandError::Syntax)? {
                '"' => {
                    self.next();
                    return Ok(out);
                }
                '$' => out.push_str(&self.dollar()?),
                _ => {
                    let mut c = self.next().ok_or(ExpandError::Syntax)?;
                    if c == self.escape {
                        if raw_escapes {
                            out.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                c = self.next().ok_or(ExpandError::Syntax)?;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    /// `processName`: digits, one special parameter, or a name.
    fn name(&mut self) -> String {
        let mut name = String::new();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while let Some((_, d)) = self.chars.next_if(|(_, c)| c.is_ascii_digit()) {
                    name.push(d);
                }
            }
            Some(c @ ('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')) => {
                self.next();
                name.push(c);
            }
            _ => {
                while let Some((_, c)) = self
                    .chars
                    .next_if(|(_, c)| c.is_alphanumeric() || *c == '_')
                {
                    name.push(c);
                }
            }
        }
        name
    }

    fn get(&mut self, name: &str) -> Option<String> {
        let value = (self.lookup)(name);
        let list = match value {
            Some(_) => &mut self.out.matched,
            None => &mut self.out.unmatched,
        };
        if !list.iter().any(|n| n == name) {
            list.push(name.to_owned());
        }
        value
    }

    fn dollar(&mut self) -> Result<String, ExpandError> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            return Ok(self.get(&name).unwrap_or_default());
        }
        self.next();
        if matches!(self.peek(), None | Some('{' | '}' | ':')) {
            return Err(ExpandError::Syntax);
        }
        let name = self.name();
        let mut modifier = self.next().ok_or(ExpandError::Syntax)?;
        if modifier == '}' {
            return Ok(self.get(&name).unwrap_or_default());
        }
        let null_is_unset = modifier == ':';
        if null_is_unset {
            modifier = self.next().ok_or(ExpandError::Syntax)?;
        }
        let raw_escapes = matches!(modifier, '#' | '%');
        if !matches!(modifier, '-' | '+' | '?' | '#' | '%') || null_is_unset && raw_escapes {
            return Err(if modifier == '/' && !null_is_unset {
                ExpandError::Pattern
            } else {
                ExpandError::Syntax
            });
        }
        let word = self.until(Some('}'), raw_escapes)?;
        let value = self.get(&name);
        let empty = value
            .as_deref()
            .is_none_or(|v| null_is_unset && v.is_empty());
        match modifier {
            '-' => Ok(if empty {
                word
            } else {
                value.unwrap_or_default()
            }),
            '+' => Ok(if empty { String::new() } else { word }),
            '?' => match value {
                Some(v) if !(null_is_unset && v.is_empty()) => Ok(v),
                _ => Err(ExpandError::Syntax),
            },
            _ => trim(modifier, &word, value.unwrap_or_default()),
        }
    }
}

/// `${X#p}`, `${X##p}`, `${X%p}`, `${X%%p}` for a pattern without wildcards.
fn trim(modifier: char, word: &str, value: String) -> Result<String, ExpandError> {
    let pattern = word.strip_prefix(modifier).unwrap_or(word);
    if pattern.contains(['*', '?', '[', '\\']) {
        return Err(ExpandError::Pattern);
    }
    let trimmed = match modifier {
        '#' => value.strip_prefix(pattern),
        _ => value.strip_suffix(pattern),
    };
    Ok(trimmed.map_or(value.clone(), str::to_owned))
}

/// The name of `options` closest to `name` by edit distance, as BuildKit's
/// `suggest.Search` picks it for "did you mean …?" (fewer than 3 edits, an
/// exact match suggesting nothing); `case_sensitive` as BuildKit asks.
pub fn suggestion<'o>(
    name: &str,
    options: impl IntoIterator<Item = &'o str>,
    case_sensitive: bool,
) -> Option<String> {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    let wanted = fold(name);
    let mut best: Option<(usize, String)> = None;
    for option in options {
        let candidate = fold(option);
        if candidate == wanted {
            return None;
        }
        let distance = strsim::levenshtein(&wanted, &candidate);
        if distance < best.as_ref().map_or(3, |(d, _)| *d) {
            best = Some((distance, candidate));
        }
    }
    let (_, found) = best?;
    Some(if case_sensitive {
        found
    } else if name == name.to_lowercase() {
        found.to_lowercase()
    } else if name == name.to_uppercase() {
        found.to_uppercase()
    } else {
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn value(word: &str) -> Result<String, ExpandError> {
        let lookup = env(&[("A", "a"), ("EMPTY", ""), ("P", "linux/amd64")]);
        expand(word, '\\', &lookup).map(|e| e.value)
    }

    #[test]
    fn words_keep_quotes_together() {
        let text = r#"A=1 B="x y" C='p q'  D=a\ b"#;
        let found: Vec<&str> = words(text, '\\').into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["A=1", r#"B="x y""#, "C='p q'", r"D=a\ b"]);
        let text = "k v`` w";
        assert_eq!(words(text, '`').len(), 3);
        assert_eq!(words("  ", '\\'), Vec::<Range<usize>>::new());
    }

    #[test]
    fn expansion_like_buildkit() {
        assert_eq!(value("$A-${A}").unwrap(), "a-a");
        assert_eq!(value("${NOPE:-d}${EMPTY:-e}${EMPTY-f}").unwrap(), "de");
        assert_eq!(value("${A:+x}${NOPE+y}").unwrap(), "x");
        assert_eq!(value(r#""$A b" '$A' \$A"#).unwrap(), "a b $A $A");
        assert_eq!(value("${P%/amd64}/${P#linux/}").unwrap(), "linux/amd64");
        assert_eq!(value("a$").unwrap(), "a$");
        assert_eq!(value("${A"), Err(ExpandError::Syntax));
        assert_eq!(value("'open"), Err(ExpandError::Syntax));
        assert_eq!(value("${NOPE?}"), Err(ExpandError::Syntax));
        assert_eq!(value("${A%.*}"), Err(ExpandError::Pattern));
        assert_eq!(value("${A/a/b}"), Err(ExpandError::Pattern));
    }

    #[test]
    fn used_variables() {
        let lookup = env(&[("A", "a")]);
        let e = expand("$A${B:-$C}${A}", '\\', &lookup).unwrap();
        assert_eq!(e.matched, ["A"]);
        assert_eq!(e.unmatched, ["C", "B"]);
        assert_eq!(variables("'$X' \"$Y\" `$Z", '`'), ["Y"]);
        assert!(variables("plain", '\\').is_empty());
    }

    #[test]
    fn suggestions() {
        let options = ["BUILDPLATFORM", "TARGETPLATFORM"];
        assert_eq!(
            suggestion("BULIDPLATFORM", options, true).as_deref(),
            Some("BUILDPLATFORM")
        );
        assert_eq!(suggestion("BUILDPLATFORM", options, true), None);
        assert_eq!(suggestion("XYZ", options, true), None);
        assert_eq!(suggestion("PAHT", ["PATH"], false).as_deref(), Some("PATH"));
    }
}
