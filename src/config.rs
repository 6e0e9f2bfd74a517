//! Settings of a run: which rules, and whether unsafe fixes apply.

use crate::registry;
use crate::rules::{self, Rule};

#[derive(Clone)]
pub struct Settings {
    /// The rules to run, in the order of [`rules::ALL`].
    pub rules: Vec<&'static Rule>,
    pub unsafe_fixes: bool,
    /// pin-digest: `fix` asks registries for digests (never by default).
    pub pin: bool,
    /// pin-digest: replace pinned digests their tag no longer points to.
    pub update_digests: bool,
    /// pin-digest: how registries are reached when fixing.
    pub registry: registry::Settings,
}

/// A rule name that names no rule.
#[derive(Debug, thiserror::Error)]
#[error("unknown rule or code `{0}` (see `dockerfix rules`)")]
pub struct UnknownRule(pub String);

impl Settings {
    /// `select` (empty = every rule) minus `ignore`; names are rule ids or
    /// the hadolint/BuildKit codes a rule answers.
    pub fn new(
        select: &[String],
        ignore: &[String],
        unsafe_fixes: bool,
    ) -> Result<Self, UnknownRule> {
        let resolve = |names: &[String]| -> Result<Vec<&'static Rule>, UnknownRule> {
            let mut out = Vec::new();
            for name in names {
                let found = rules::lookup(name);
                if found.is_empty() {
                    return Err(UnknownRule(name.clone()));
                }
                out.extend(found);
            }
            Ok(out)
        };
        let selected = resolve(select)?;
        let ignored = resolve(ignore)?;
        let rules = rules::ALL
            .iter()
            .copied()
            .filter(|r| selected.is_empty() || selected.iter().any(|s| s.id == r.id))
            .filter(|r| !ignored.iter().any(|i| i.id == r.id))
            .collect();
        Ok(Self {
            rules,
            unsafe_fixes,
            pin: selected.iter().any(|r| r.id == "pin-digest"),
            update_digests: false,
            registry: registry::Settings::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(settings: &Settings) -> Vec<&'static str> {
        settings.rules.iter().map(|r| r.id).collect()
    }

    #[test]
    fn select_and_ignore() {
        let all = Settings::new(&[], &[], false).unwrap();
        assert_eq!(all.rules.len(), rules::ALL.len());
        let one = Settings::new(&["DL3020".into()], &[], false).unwrap();
        assert_eq!(ids(&one), ["add-to-copy"]);
        let without = Settings::new(&[], &["exec-form".into()], false).unwrap();
        assert!(!ids(&without).contains(&"exec-form"));
        assert!(Settings::new(&["nope".into()], &[], false).is_err());
    }
}
