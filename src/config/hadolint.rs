//! hadolint's configuration, where it means the same as ours: the codes in
//! `ignored` turn off the rules that answer them, and
//! `disable-ignore-pragma` turns off `# hadolint ignore=` comments.
//! Every other key is hadolint's business and is not read.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::file::ConfigError;
use crate::rules::{self, Rule};

/// The names hadolint reads in a project folder, in its order.
pub const HADOLINT_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// The part of `.hadolint.yaml` dockerfix honours.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct HadolintConfig {
    #[serde(default)]
    pub ignored: Vec<String>,
    #[serde(default)]
    pub disable_ignore_pragma: bool,
}

impl HadolintConfig {
    /// The rules its `ignored` codes turn off; codes no rule answers
    /// (shellcheck's, or hadolint checks dockerfix does not fix) are skipped.
    pub fn ignored_rules(&self) -> Vec<&'static Rule> {
        self.ignored
            .iter()
            .flat_map(|code| rules::lookup(code.trim()))
            .collect()
    }
}

/// Reads a `.hadolint.yaml`; a YAML error names the file, line and column.
pub fn load(path: &Path) -> Result<HadolintConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
    })?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<HadolintConfig, ConfigError> {
    if text.trim().is_empty() {
        return Ok(HadolintConfig::default());
    }
    serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
        // The message's first line; the rest repeats the place as a snippet.
        let message = e.to_string();
        let message = message.lines().next().unwrap_or_default().to_owned();
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    })
}

/// The nearest `.hadolint.yaml` or `.hadolint.yml` at or above `dir`.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|folder| HADOLINT_NAMES.iter().map(move |name| folder.join(name)))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_codes_map_to_rules() {
        let config = parse(
            Path::new(".hadolint.yaml"),
            "failure-threshold: warning\nignored:\n  - DL3020\n  - SC2086\n  - dl4000\ntrustedRegistries: [docker.io]\n",
        )
        .unwrap();
        let ids: Vec<&str> = config.ignored_rules().iter().map(|r| r.id).collect();
        assert_eq!(ids, ["add-to-copy", "maintainer-label"]);
        assert!(!config.disable_ignore_pragma);
    }

    #[test]
    fn empty_and_bad_files() {
        assert_eq!(
            parse(Path::new("h"), "\n").unwrap(),
            HadolintConfig::default()
        );
        let err = parse(Path::new(".hadolint.yaml"), "ignored: DL3020\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
        let err = parse(Path::new(".hadolint.yaml"), "ignored: [DL3020\n").unwrap_err();
        assert!(err.to_string().starts_with(".hadolint.yaml:"), "{err}");
    }
}
