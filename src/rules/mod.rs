//! Rules: each one checks a document and may attach a fix to its findings.
//!
//! Adding a rule = one file in this folder (doc comment, `RULE`, check), one
//! folder of cases in `fixers/<rule-id>/`, and one name in `rules!` below.

use std::ops::Range;

use std::collections::HashMap;

use crate::config::RuleOptions;
use crate::context::BuildContext;
use crate::document::Document;
use crate::edits::{Applicability, Fix};
use crate::registry::{Digest, ImageName};
use crate::shell::Script;

macro_rules! rules {
    ($($module:ident),+ $(,)?) => {
        $(pub mod $module;)+
        /// Every rule, in the order they are listed and run.
        pub static ALL: &[&Rule] = &[$(&$module::RULE),+];
    };
}

rules! {
    add_to_copy,
    apk_no_cache,
    apt_clean_lists,
    apt_get_not_apt,
    apt_no_recommends,
    apt_update_alone,
    apt_yes,
    cache_mount,
    combine_run,
    dnf_yum_zypper_clean,
    dockerignore,
    exec_form,
    layer_order,
    maintainer_label,
    multi_stage,
    copy_chown,
    copy_dest_slash,
    non_root_user,
    secret_in_arg_env,
    shell_symlink,
    slim_base,
    pin_digest,
    no_dist_upgrade,
    no_sudo,
    npm_cache_clean,
    pip_no_cache_dir,
    pipefail,
    sort_packages,
    wget_quiet,
    cd_to_workdir,
    consistent_instruction_casing,
    duplicate_stage_name,
    expose_invalid_format,
    expose_proto_casing,
    from_as_casing,
    from_platform_flag_const,
    invalid_default_arg_in_from,
    invalid_definition_description,
    legacy_key_value_format,
    multiple_instructions_disallowed,
    no_empty_continuation,
    redundant_target_platform,
    reserved_stage_name,
    stage_name_casing,
    undefined_arg_in_from,
    undefined_var,
    workdir_relative_path,
}

/// A problem found in a document, with the fix that resolves it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    /// What the finding is about, in bytes of the document's text.
    pub span: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
    /// Without a fix in this run, but with one when the run is given this
    /// option (`--pin` for pin-digest, which asks registries only then).
    pub fix_with: Option<&'static str>,
}

/// What fixes a rule can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    /// Report only.
    None,
    /// Always (or, where it declines, never) with this applicability.
    Always(Applicability),
    /// Safe in some cases, unsafe in others.
    Sometimes,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "no fix",
            FixKind::Always(Applicability::Safe) => "safe",
            FixKind::Always(Applicability::Unsafe) => "unsafe",
            FixKind::Sometimes => "safe/unsafe",
        }
    }
}

/// A rule: its identity, what it answers, and its check.
pub struct Rule {
    /// The kebab-case name users select it by.
    pub id: &'static str,
    /// hadolint (`DLxxxx`) and BuildKit check names it answers.
    pub codes: &'static [&'static str],
    pub fix: FixKind,
    /// One line for `dockerfix rules`.
    pub summary: &'static str,
    /// The rule's source file; its leading `//!` comment is its documentation.
    pub source: &'static str,
    pub check: fn(&Document<'_>, &mut Report),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({})", self.id)
    }
}

/// Rules that run only when selected by name (`--select cache-mount`, or
/// `select` in the configuration): never in the default selection, because
/// their fix changes how the file must be built.
pub const OPT_IN: &[&str] = &["cache-mount"];

impl Rule {
    /// Runs only when selected explicitly (see [`OPT_IN`]).
    pub fn opt_in(&self) -> bool {
        OPT_IN.contains(&self.id)
    }

    /// The rule's documentation (its source file's leading `//!` comment).
    pub fn doc(&self) -> String {
        let mut doc = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            doc.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            doc.push('\n');
        }
        doc
    }
}

/// Facts a run resolved before checking, for the rules that need them.
/// Checks never do input or output themselves; `check` runs with an empty
/// context.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context<'r> {
    /// Digests of image tags, resolved before fixing (see `pin-digest`).
    pub digests: Option<&'r HashMap<ImageName, Digest>>,
    /// Re-pin references whose digest differs from what their tag points to.
    pub update_digests: bool,
    /// The build context, when the run has one (not for standard input
    /// without `--context`): rules that need it report without a fix
    /// otherwise.
    pub build: Option<&'r BuildContext>,
}

/// Collects the findings of one rule.
pub struct Report<'r> {
    rule: &'static str,
    findings: Vec<Finding>,
    options: &'r RuleOptions,
    context: Context<'r>,
}

impl<'r> Report<'r> {
    /// The per-rule options of this run (`[rules.<rule-id>]` in the
    /// configuration file).
    pub fn options(&self) -> &RuleOptions {
        self.options
    }

    /// What the run resolved before checking.
    pub fn context(&self) -> Context<'r> {
        self.context
    }

    /// Adds a finding. Its span grows to cover its fix's edits (a removed
    /// `apk update` before the `apk add` it is about, say), so that a
    /// finding always shows where its fix changes the text.
    pub fn push(&mut self, span: Range<usize>, message: impl Into<String>, fix: Option<Fix>) {
        let span = fix.iter().flat_map(|f| &f.edits).fold(span, |span, edit| {
            span.start.min(edit.range.start)..span.end.max(edit.range.end)
        });
        self.findings.push(Finding {
            rule: self.rule,
            span,
            message: message.into(),
            fix,
            fix_with: None,
        });
    }

    /// Adds a finding without a fix in this run that the run would fix
    /// when given `option`.
    pub fn push_fixable_with(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        option: &'static str,
    ) {
        self.push(span, message, None);
        if let Some(finding) = self.findings.last_mut() {
            finding.fix_with = Some(option);
        }
    }
}

impl Report<'_> {
    /// Adds a finding whose safe fix runs `command` at the end of `script`;
    /// without a fix when it cannot go there (the last command runs in the
    /// background).
    pub fn push_appended(
        &mut self,
        doc: &Document<'_>,
        script: &Script,
        span: Range<usize>,
        message: &str,
        command: &str,
    ) {
        match script.append(doc, command) {
            Some(edit) => self.push(span, message, Some(Fix::safe(vec![edit]))),
            None => self.push(
                span,
                format!("{message} (not fixed: the last command runs in the background)"),
                None,
            ),
        }
    }
}

/// Finds a rule by its id or by a code it answers (case-insensitive codes).
pub fn lookup(name: &str) -> Vec<&'static Rule> {
    ALL.iter()
        .copied()
        .filter(|r| r.id == name || r.codes.iter().any(|c| c.eq_ignore_ascii_case(name)))
        .collect()
}

/// The rule with this id (not a code).
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// Where a rule's problem is explained on the web: the page of the first
/// code it answers that has one (hadolint's wiki for a `DLxxxx` code,
/// Docker's build-check reference for a BuildKit check); `None` for a rule
/// that answers no outside check (its `help` text is then all there is).
pub fn help_uri(rule: &Rule) -> Option<String> {
    rule.codes.iter().find_map(|code| {
        if code.starts_with("DL") {
            Some(format!("https://github.com/hadolint/hadolint/wiki/{code}"))
        } else if crate::check_directive::BUILDKIT_CHECKS.contains(code) {
            Some(format!(
                "https://docs.docker.com/reference/build-checks/{}/",
                kebab(code)
            ))
        } else {
            None
        }
    })
}

/// `JSONArgsRecommended` → `json-args-recommended`.
fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        let prev_lower = i > 0 && chars[i - 1].is_ascii_lowercase();
        if c.is_ascii_uppercase() && i > 0 && (prev_lower || next_lower) {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The `dockerfix rules` listing: id, codes, fix safety, summary.
pub fn table() -> String {
    let id_width = ALL.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let codes: Vec<String> = ALL.iter().map(|r| codes_text(r.codes)).collect();
    let codes_width = codes.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::new();
    for (rule, codes) in ALL.iter().zip(&codes) {
        out.push_str(&format!(
            "{:id_width$}  {:codes_width$}  {:11}  {}\n",
            rule.id,
            codes,
            rule.fix.as_str(),
            summary_text(rule)
        ));
    }
    out
}

/// The summary, marked for an opt-in rule.
fn summary_text(rule: &Rule) -> String {
    if rule.opt_in() {
        format!("(opt-in: --select {}) {}", rule.id, rule.summary)
    } else {
        rule.summary.to_owned()
    }
}

/// The codes a rule answers, or `-` for none.
fn codes_text(codes: &[&str]) -> String {
    if codes.is_empty() {
        "-".to_owned()
    } else {
        codes.join(",")
    }
}

/// The `dockerfix rule ID` page: a header, then the rule's documentation.
pub fn full_doc(rule: &Rule) -> String {
    format!(
        "# {} ({})\n\nFix: {}. {}\n\n{}",
        rule.id,
        codes_text(rule.codes),
        rule.fix.as_str(),
        summary_text(rule),
        rule.doc()
    )
}

/// Runs `rules` on `doc` with default options; findings sorted by
/// position, then rule order.
pub fn check(doc: &Document<'_>, rules: &[&'static Rule]) -> Vec<Finding> {
    check_with(doc, rules, &RuleOptions::default(), Context::default())
}

/// Runs `rules` on `doc` with these rule options and the facts resolved
/// before the run.
pub fn check_with(
    doc: &Document<'_>,
    rules: &[&'static Rule],
    options: &RuleOptions,
    context: Context<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let mut report = Report {
            rule: rule.id,
            findings: Vec::new(),
            options,
            context,
        };
        (rule.check)(doc, &mut report);
        findings.append(&mut report.findings);
    }
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    findings
}

/// `line: message` of each finding of `rule` on `text`, for rule tests.
#[cfg(test)]
pub(crate) fn messages_of(rule: &'static Rule, text: &str) -> Vec<String> {
    let doc = Document::parse(text).expect("test text parses");
    check(&doc, &[rule])
        .into_iter()
        .map(|f| format!("{}: {}", doc.line_column(f.span.start).0, f.message))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_and_unique() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "duplicate rule id");
        for rule in ALL {
            let doc = rule.doc();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix safety",
            ] {
                assert!(doc.contains(section), "{} lacks {section}", rule.id);
            }
            assert!(
                rule.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{} is not kebab-case",
                rule.id
            );
        }
    }

    #[test]
    fn help_uris() {
        assert_eq!(kebab("JSONArgsRecommended"), "json-args-recommended");
        assert_eq!(kebab("MaintainerDeprecated"), "maintainer-deprecated");
        let add = by_id("add-to-copy").unwrap();
        assert_eq!(
            help_uri(add).as_deref(),
            Some("https://github.com/hadolint/hadolint/wiki/DL3020")
        );
        // A rule named after a BuildKit check links to that check's page.
        let multiple = by_id("multiple-instructions-disallowed").unwrap();
        assert_eq!(
            help_uri(multiple).as_deref(),
            Some(
                "https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/"
            )
        );
        // Every rule answering a hadolint or BuildKit check links to its page.
        for rule in ALL.iter().filter(|r| !r.codes.is_empty()) {
            assert!(help_uri(rule).is_some(), "{} has no help page", rule.id);
        }
    }

    #[test]
    fn every_rule_is_in_the_readme() {
        let readme = include_str!("../../README.md");
        for rule in ALL {
            assert!(
                readme.contains(&format!("| `{}` |", rule.id)),
                "{} is not in README's table",
                rule.id
            );
        }
    }

    /// README's table of BuildKit checks names, for each check, the rule
    /// that answers it (or `–` where none does).
    #[test]
    fn buildkit_checks_table_matches_the_rules() {
        let readme = include_str!("../../README.md");
        for check in crate::check_directive::BUILDKIT_CHECKS {
            let prefix = format!("| `{check}` | ");
            let row = readme
                .lines()
                .find(|l| l.starts_with(&prefix))
                .unwrap_or_else(|| panic!("{check} is not in README's table of BuildKit checks"));
            let named = row[prefix.len()..].split(" | ").next().unwrap_or("");
            let answering: Vec<String> = lookup(check)
                .iter()
                .map(|r| format!("`{}`", r.id))
                .collect();
            match answering.as_slice() {
                [] => assert_eq!(named, "–", "{check}: no rule answers it"),
                rules => assert_eq!(named, rules.join(", "), "{check}"),
            }
        }
    }

    #[test]
    fn lookup_by_id_and_code() {
        assert_eq!(lookup("add-to-copy").len(), 1);
        assert_eq!(lookup("dl3020")[0].id, "add-to-copy");
        assert!(lookup("nope").is_empty());
    }
}
