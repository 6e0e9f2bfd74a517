//! `dockerfix.toml` / `.dockerfix.toml`: the keys, how they are read, and
//! errors that name the file, the key and the line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::rules;

/// The names a configuration file may have, in the order they are looked for.
pub const CONFIG_NAMES: [&str; 2] = ["dockerfix.toml", ".dockerfix.toml"];

/// A configuration file as written. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Rules to run (ids or codes); absent = every rule.
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules not to run (ids or codes).
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Also apply unsafe fixes.
    pub unsafe_fixes: Option<bool>,
    /// Extra file patterns searched in folders (globs relative to the
    /// configuration file's folder), besides the usual Dockerfile names.
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    /// File patterns never searched in folders.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// Apply `exclude` to files named on the command line too (for hooks,
    /// which pass every changed file).
    pub force_exclude: Option<bool>,
    /// Honour `.hadolint.yaml` (`ignored` codes and `disable-ignore-pragma`).
    pub hadolint_config: Option<bool>,
    /// Options of single rules, one table per rule id.
    #[serde(default)]
    pub rules: RuleOptions,
    /// How image registries are reached (used by rules that resolve images).
    #[serde(default)]
    pub registry: RegistrySettings,
    /// The build context of Dockerfiles: a glob of Dockerfile paths →
    /// the context folder, both relative to the configuration file's
    /// folder (`"services/*/Dockerfile" = "."`). Default: the Dockerfile's
    /// folder. Used by `verify`.
    #[serde(default)]
    pub context: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// Per-rule options: `[rules.<rule-id>]`. A rule with options has a field
/// here; an unknown rule id or option is an error.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    #[serde(default)]
    pub maintainer_label: MaintainerLabelOptions,
    #[serde(default)]
    pub non_root_user: NonRootUserOptions,
}

/// `[rules.non-root-user]`.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NonRootUserOptions {
    /// The uid (and gid) of the user the fix creates (default 1001).
    pub uid: Option<Spanned<u32>>,
    /// The name of the user the fix creates (default `app`).
    pub user: Option<Spanned<String>>,
}

/// `[rules.maintainer-label]`.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MaintainerLabelOptions {
    /// The label key `MAINTAINER` becomes (default
    /// `org.opencontainers.image.authors`).
    pub label: Option<Spanned<String>>,
}

/// `[registry]`: how image references are resolved.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegistrySettings {
    /// Registry host → mirrors tried first, in order
    /// (`"docker.io" = ["mirror.gcr.io"]`), or one mirror
    /// (`"docker.io" = "mirror.gcr.io"`).
    #[serde(default, deserialize_with = "mirror_lists")]
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Hosts reached over plain HTTP (`"localhost:5000"`).
    #[serde(default)]
    pub insecure: Vec<String>,
    /// How long a resolved digest is reused (`"24h"`, `"30m"`, `"0s"`).
    #[serde(default, deserialize_with = "duration")]
    pub cache_ttl: Option<Duration>,
}

fn mirror_lists<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    let lists = BTreeMap::<String, OneOrMore>::deserialize(d)?;
    Ok(lists
        .into_iter()
        .map(|(host, mirrors)| (host, mirrors.0))
        .collect())
}

/// A string, or a list of strings.
struct OneOrMore(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMore {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMore;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mirror (\"host:port\") or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<OneOrMore, E> {
                Ok(OneOrMore(vec![value.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMore, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element::<String>()? {
                    all.push(one);
                }
                Ok(OneOrMore(all))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(d)?;
    humantime::parse_duration(&text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("invalid duration `{text}`: {e}")))
}

/// A configuration that cannot be used, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), location(*line, *column))]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based; 0 when the problem has no place in the file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn location(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}:{column}")
    }
}

impl ConfigError {
    pub fn at(path: &Path, text: &str, span: Option<Range<usize>>, message: String) -> Self {
        let (line, column) = span.map_or((0, 0), |s| line_column(text, s.start));
        Self {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The key written at the start of the line holding `offset`, if any
/// (`unsafe-fixes = "yes"` → `unsafe-fixes`).
fn key_on_line(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[') && !key.starts_with('#')).then_some(key)
}

/// A configuration file, read and checked.
#[derive(Debug)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub text: String,
    pub file: ConfigFile,
}

impl LoadedConfig {
    /// The folder its relative patterns are relative to.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new("."))
    }

    pub fn error(&self, span: Range<usize>, message: String) -> ConfigError {
        ConfigError::at(&self.path, &self.text, Some(span), message)
    }
}

/// Reads and checks the configuration file at `path`.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
    })?;
    let file = parse(path, &text)?;
    let config = LoadedConfig {
        path: path.to_path_buf(),
        text,
        file,
    };
    validate(&config)?;
    Ok(config)
}

/// Parses configuration text; errors point at the line and name the key.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_owned();
        let message = match e.span().and_then(|s| key_on_line(text, s.start)) {
            Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
            _ => message,
        };
        ConfigError::at(path, text, e.span(), message)
    })
}

/// Checks what the types alone cannot: rule names and glob patterns.
fn validate(config: &LoadedConfig) -> Result<(), ConfigError> {
    let file = &config.file;
    let names = file.select.iter().flatten().map(|n| ("select", n));
    for (key, name) in names.chain(file.ignore.iter().map(|n| ("ignore", n))) {
        if rules::lookup(name.get_ref()).is_empty() {
            return Err(config.error(
                name.span(),
                format!(
                    "`{key}`: unknown rule or code `{}` (see `dockerfix rules`)",
                    name.get_ref()
                ),
            ));
        }
    }
    let context = file.context.keys().map(|p| ("context", p));
    let globs = file.include.iter().map(|p| ("include", p));
    let globs = globs.chain(file.exclude.iter().map(|p| ("exclude", p)));
    for (key, pattern) in globs.chain(context) {
        if let Err(e) = glob(pattern.get_ref()) {
            return Err(config.error(pattern.span(), format!("`{key}`: {e}")));
        }
    }
    let non_root = &file.rules.non_root_user;
    if let Some(uid) = non_root.uid.as_ref().filter(|uid| *uid.get_ref() == 0) {
        return Err(config.error(
            uid.span(),
            "`uid`: 0 is root; the user must not be root".to_owned(),
        ));
    }
    if let Some(user) = &non_root.user {
        let name = user.get_ref();
        let valid = name.len() <= 32
            && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid || name == "root" {
            return Err(config.error(
                user.span(),
                format!(
                    "`user`: `{name}` is not a user name for useradd/adduser \
                     (lowercase letters, digits, `_`, `-`; not root)"
                ),
            ));
        }
    }
    if let Some(label) = &file.rules.maintainer_label.label {
        let value = label.get_ref();
        let valid = !value.is_empty()
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '=' | '"' | '\''));
        if !valid {
            return Err(config.error(
                label.span(),
                format!("`label`: `{value}` is not a label key (no spaces, quotes or `=`)"),
            ));
        }
    }
    Ok(())
}

/// A glob as `include`/`exclude` take it: `*` stays within a folder, `**`
/// crosses folders.
pub fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
}

/// The nearest configuration file at or above `dir` (which should be
/// absolute). Two names in one folder is an error: which one counts would
/// be a guess.
pub fn find(dir: &Path) -> Result<Option<PathBuf>, ConfigError> {
    for folder in dir.ancestors() {
        let found: Vec<PathBuf> = CONFIG_NAMES
            .iter()
            .map(|name| folder.join(name))
            .filter(|p| p.is_file())
            .collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(Some(one.clone())),
            [first, ..] => {
                return Err(ConfigError {
                    path: first.clone(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "both {} and {} exist in {}; keep one",
                        CONFIG_NAMES[0],
                        CONFIG_NAMES[1],
                        folder.display()
                    ),
                });
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<ConfigFile, ConfigError> {
        parse(Path::new("dockerfix.toml"), text)
    }

    #[test]
    fn every_key() {
        let file = parse_text(
            r#"
select = ["add-to-copy", "DL4000"]
ignore = ["exec-form"]
unsafe-fixes = true
include = ["docker/*.df"]
exclude = ["vendor/**"]
force-exclude = true
hadolint-config = false

[rules.maintainer-label]
label = "maintainer"

[registry]
mirrors = { "docker.io" = ["mirror.gcr.io"] }
insecure = ["localhost:5000"]
cache-ttl = "12h"
"#,
        )
        .unwrap();
        assert_eq!(file.select.as_ref().unwrap().len(), 2);
        assert_eq!(file.unsafe_fixes, Some(true));
        assert_eq!(
            file.rules.maintainer_label.label.unwrap().into_inner(),
            "maintainer"
        );
        assert_eq!(file.registry.mirrors["docker.io"], ["mirror.gcr.io"]);
        assert_eq!(
            file.registry.cache_ttl,
            Some(Duration::from_secs(12 * 3600))
        );
    }

    #[test]
    fn a_mirror_is_one_string_or_a_list() {
        let file = parse_text(
            "[registry]\nmirrors = { \"docker.io\" = \"127.0.0.1:5000\", \"ghcr.io\" = [\"a:1\", \"b:2\"] }\n",
        )
        .unwrap();
        assert_eq!(file.registry.mirrors["docker.io"], ["127.0.0.1:5000"]);
        assert_eq!(file.registry.mirrors["ghcr.io"], ["a:1", "b:2"]);
        let err = parse_text("[registry]\nmirrors = { \"docker.io\" = 5000 }\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.message
                .contains("a mirror (\"host:port\") or a list of them"),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse_text("select = []\nunsafe_fixes = true\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(
            err.message.contains("unknown field `unsafe_fixes`"),
            "{err}"
        );
        assert!(err.to_string().starts_with("dockerfix.toml:2:1: "), "{err}");
    }

    #[test]
    fn bad_value_names_key_and_line() {
        let err = parse_text("\n\nunsafe-fixes = \"yes\"\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.starts_with("`unsafe-fixes`: "), "{err}");
        assert!(err.message.contains("expected a boolean"), "{err}");

        let err = parse_text("[registry]\ncache-ttl = \"soon\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("invalid duration `soon`"), "{err}");

        let err = parse_text("[rules.no-such-rule]\nx = 1\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.message.contains("unknown field `no-such-rule`"),
            "{err}"
        );
    }

    #[test]
    fn line_columns() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
