//! BuildKit's `# check=` comments, read as BuildKit reads them
//! (moby/buildkit `frontend/dockerfile/linter/linter.go`,
//! `ParseLintOptions` and `WithMergedConfigFromComments`): as the parser
//! directive at the top of the file it configures the whole file; as one of
//! the comments right above an instruction, that instruction.
//!
//! The value is read up to its first blank (`# check=skip=all // reason`
//! skips all), then split into up to three `;`-separated options:
//! `skip=Rule1,Rule2` or `skip=all`, `error=true|false` and
//! `experimental=Rule1,…` or `experimental=all`. An option BuildKit does not
//! know makes the whole comment void.

/// Every BuildKit build check, by its name.
pub const BUILDKIT_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
];

/// Checks BuildKit runs over the whole file, with the file's configuration
/// only: a `# check=` comment above one instruction does not skip them.
pub const FILE_WIDE_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "InvalidDefaultArgInFrom",
    "NoEmptyContinuation",
    "ReservedStageName",
];

/// Experimental checks: they run only when `experimental=` names them,
/// and `skip=` does not reach them.
pub const EXPERIMENTAL_CHECKS: &[&str] = &["InvalidDefinitionDescription"];

/// What one `# check=` value asks for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// `skip=all`.
    pub skip_all: bool,
    /// `skip=A,B`, as written.
    pub skip: Vec<String>,
    /// `experimental=all`.
    pub experimental_all: bool,
    /// `experimental=A,B`.
    pub experimental: Vec<String>,
    /// `error=true`: BuildKit fails the build on a warning.
    pub error: bool,
}

impl CheckOptions {
    /// Reads the value of a `check` directive (what follows `check=`);
    /// `None` when BuildKit rejects it.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.split(' ').next().unwrap_or("").trim();
        let mut options = CheckOptions::default();
        if value.is_empty() {
            return Some(options);
        }
        for part in value.splitn(3, ';') {
            let (key, list) = part.split_once('=')?;
            let list = list.trim();
            let names = || list.split(',').map(|n| n.trim().to_owned()).collect();
            match key.trim() {
                "skip" if list == "all" => options.skip_all = true,
                "skip" => options.skip = names(),
                "experimental" if list == "all" => options.experimental_all = true,
                "experimental" => options.experimental = names(),
                "error" => options.error = parse_bool(list)?,
                _ => return None,
            }
        }
        Some(options)
    }

    /// The file's options: its `# check=` parser directive.
    pub fn of_file(doc: &crate::document::Document<'_>) -> Self {
        doc.dockerfile
            .parser_directives
            .check
            .as_ref()
            .and_then(|d| Self::parse(d.value.value))
            .unwrap_or_default()
    }

    /// Whether the experimental check `name` is turned on.
    pub fn enables(&self, name: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|n| n == name)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The `check` value of one comment text (a comment line without its
/// `#`), when it is a `check=` directive: `check = skip=X` → `skip=X`.
pub fn check_value(comment: &str) -> Option<&str> {
    let comment = comment.trim_start();
    let name_end = comment
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(comment.len());
    let (name, rest) = comment.split_at(name_end);
    if !name.eq_ignore_ascii_case("check") {
        return None;
    }
    let value = rest.trim_start().strip_prefix('=')?.trim();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_like_buildkit() {
        let o = CheckOptions::parse("skip=A, B;error=true").unwrap();
        assert_eq!(o.skip, ["A", ""], "read up to the first blank");
        let o = CheckOptions::parse("skip=A,B;error=true").unwrap();
        assert_eq!(
            (o.skip.as_slice(), o.error),
            (&["A".to_owned(), "B".to_owned()][..], true)
        );
        assert!(CheckOptions::parse("skip=all // reason").unwrap().skip_all);
        let o = CheckOptions::parse("skip=all;experimental=InvalidDefinitionDescription").unwrap();
        assert!(o.skip_all && o.enables("InvalidDefinitionDescription") && !o.enables("X"));
        assert_eq!(CheckOptions::parse("nope=1"), None);
        assert_eq!(CheckOptions::parse("error=maybe"), None);
        assert_eq!(CheckOptions::parse("skip"), None);
        assert_eq!(CheckOptions::parse(""), Some(CheckOptions::default()));
    }

    #[test]
    fn check_comments() {
        assert_eq!(
            check_value("check=skip=all // why"),
            Some("skip=all // why")
        );
        assert_eq!(check_value("CHECK = skip=A"), Some("skip=A"));
        assert_eq!(check_value("checks=skip=A"), None);
        assert_eq!(check_value("# check=skip=A"), None);
        assert_eq!(check_value("check="), None);
    }
}
