//! Settings of a run: which rules, whether unsafe fixes apply, rule options,
//! which files — from the command line, the nearest `dockerfix.toml` /
//! `.dockerfix.toml` and the nearest `.hadolint.yaml`.

pub mod file;
pub mod hadolint;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::GlobSet;

pub use file::{ConfigError, RegistrySettings, RuleOptions};

use crate::discovery::is_dockerfile_name;
use crate::rules::{self, Rule};

#[derive(Debug, Clone)]
pub struct Settings {
    /// The rules to run, in the order of [`rules::ALL`].
    pub rules: Vec<&'static Rule>,
    pub unsafe_fixes: bool,
    pub options: RuleOptions,
    pub registry: RegistrySettings,
    /// Honour `# hadolint ignore=` comments (hadolint's
    /// `disable-ignore-pragma` turns them off).
    pub hadolint_pragmas: bool,
}

/// A rule name that names no rule.
#[derive(Debug, thiserror::Error)]
#[error("unknown rule or code `{0}` (see `dockerfix rules`)")]
pub struct UnknownRule(pub String);

/// Resolves rule ids or codes; an unknown name is an error.
fn resolve(names: &[String]) -> Result<Vec<&'static Rule>, UnknownRule> {
    let mut out = Vec::new();
    for name in names {
        let found = rules::lookup(name);
        if found.is_empty() {
            return Err(UnknownRule(name.clone()));
        }
        out.extend(found);
    }
    Ok(out)
}

impl Settings {
    /// `select` (empty = every rule but the opt-in ones) minus `ignore`; names are rule ids or
    /// the hadolint/BuildKit codes a rule answers.
    pub fn new(
        select: &[String],
        ignore: &[String],
        unsafe_fixes: bool,
    ) -> Result<Self, UnknownRule> {
        Ok(Self::from_rules(
            &resolve(select)?,
            &resolve(ignore)?,
            unsafe_fixes,
        ))
    }

    fn from_rules(selected: &[&Rule], ignored: &[&Rule], unsafe_fixes: bool) -> Self {
        let rules = rules::ALL
            .iter()
            .copied()
            .filter(|r| match selected {
                // Opt-in rules run only when named.
                [] => !r.opt_in(),
                _ => selected.iter().any(|s| s.id == r.id),
            })
            .filter(|r| !ignored.iter().any(|i| i.id == r.id))
            .collect();
        Self {
            rules,
            unsafe_fixes,
            options: RuleOptions::default(),
            registry: RegistrySettings::default(),
            hadolint_pragmas: true,
        }
    }
}

/// What the command line says; it wins over configuration files.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// Replaces the files' `select` when not empty.
    pub select: Vec<String>,
    /// Added to the files' `ignore`.
    pub ignore: Vec<String>,
    /// `--unsafe-fixes` / `--no-unsafe-fixes`.
    pub unsafe_fixes: Option<bool>,
    /// `--config PATH`: this file for every input, none searched.
    pub config: Option<PathBuf>,
}

/// The settings that apply to the files of one folder, and which files of
/// it are wanted.
#[derive(Debug)]
pub struct FolderSettings {
    pub settings: Settings,
    /// The configuration file in force, if any.
    pub config: Option<PathBuf>,
    filter: FileFilter,
    /// `[context]`: Dockerfile globs and their build contexts (absolute),
    /// the longest pattern first.
    contexts: Vec<(globset::GlobMatcher, PathBuf)>,
}

impl FolderSettings {
    /// Is `path` (absolute) to be processed? Files found in folders must
    /// have a Dockerfile name or match `include`; `exclude` drops them, and
    /// drops files named on the command line only with `force-exclude`.
    pub fn wants(&self, path: &Path, explicit: bool) -> bool {
        self.filter.wants(&absolute(path), explicit)
    }

    /// The build context `[context]` gives Dockerfile `path`: the folder of
    /// the longest pattern that matches it.
    pub fn context_for(&self, path: &Path) -> Option<PathBuf> {
        let path = absolute(path);
        let relative = path.strip_prefix(&self.filter.root).unwrap_or(&path);
        self.contexts
            .iter()
            .find(|(glob, _)| glob.is_match(relative))
            .map(|(_, dir)| dir.clone())
    }
}

#[derive(Debug, Default)]
struct FileFilter {
    root: PathBuf,
    include: GlobSet,
    exclude: GlobSet,
    force_exclude: bool,
}

impl FileFilter {
    fn wants(&self, path: &Path, explicit: bool) -> bool {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        if !explicit {
            let named = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_dockerfile_name);
            if !named && !self.include.is_match(relative) {
                return false;
            }
        }
        if explicit && !self.force_exclude {
            return true;
        }
        // A pattern naming a folder excludes everything below it.
        !relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.exclude.is_match(p))
    }
}

/// Finds, loads and caches the settings of each folder.
pub struct Resolver {
    overrides: Overrides,
    cli_select: Vec<&'static Rule>,
    cli_ignore: Vec<&'static Rule>,
    folders: Mutex<HashMap<PathBuf, Result<Arc<FolderSettings>, ConfigError>>>,
    configs: Mutex<HashMap<PathBuf, Result<Arc<file::LoadedConfig>, ConfigError>>>,
}

/// Why a run cannot start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    UnknownRule(#[from] UnknownRule),
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl Resolver {
    /// Checks the command line's rule names and `--config` file.
    pub fn new(overrides: Overrides) -> Result<Self, SetupError> {
        let cli_select = resolve(&overrides.select)?;
        let cli_ignore = resolve(&overrides.ignore)?;
        let resolver = Self {
            overrides,
            cli_select,
            cli_ignore,
            folders: Mutex::default(),
            configs: Mutex::default(),
        };
        if let Some(path) = resolver.overrides.config.clone() {
            resolver.load(&absolute(&path))?;
        }
        Ok(resolver)
    }

    /// The settings for a file (by the folder holding it).
    pub fn for_file(&self, path: &Path) -> Result<Arc<FolderSettings>, ConfigError> {
        let path = absolute(path);
        let dir = path.parent().unwrap_or(Path::new("/"));
        self.for_folder(dir)
    }

    /// The settings for files in `dir`.
    pub fn for_folder(&self, dir: &Path) -> Result<Arc<FolderSettings>, ConfigError> {
        let dir = absolute(dir);
        if let Some(found) = self.folders.lock().unwrap().get(&dir) {
            return found.clone();
        }
        let result = self.build(&dir).map(Arc::new);
        self.folders.lock().unwrap().insert(dir, result.clone());
        result
    }

    fn load(&self, path: &Path) -> Result<Arc<file::LoadedConfig>, ConfigError> {
        if let Some(found) = self.configs.lock().unwrap().get(path) {
            return found.clone();
        }
        let result = file::load(path).map(Arc::new);
        self.configs
            .lock()
            .unwrap()
            .insert(path.to_path_buf(), result.clone());
        result
    }

    fn build(&self, dir: &Path) -> Result<FolderSettings, ConfigError> {
        let config_path = match &self.overrides.config {
            Some(path) => Some(absolute(path)),
            None => file::find(dir)?,
        };
        let config = config_path.as_deref().map(|p| self.load(p)).transpose()?;
        let empty = file::ConfigFile::default();
        let file = config.as_ref().map_or(&empty, |c| &c.file);

        let hadolint = if file.hadolint_config.unwrap_or(true) {
            hadolint::find(dir)
                .map(|p| hadolint::load(&p))
                .transpose()?
                .unwrap_or_default()
        } else {
            hadolint::HadolintConfig::default()
        };

        let names = |list: &[toml::Spanned<String>]| -> Vec<&'static Rule> {
            list.iter()
                .flat_map(|n| rules::lookup(n.get_ref()))
                .collect()
        };
        let selected = if self.cli_select.is_empty() {
            file.select.as_deref().map(names).unwrap_or_default()
        } else {
            self.cli_select.clone()
        };
        let mut ignored = names(&file.ignore);
        ignored.extend(self.cli_ignore.iter().copied());
        ignored.extend(hadolint.ignored_rules());
        let unsafe_fixes = self
            .overrides
            .unsafe_fixes
            .or(file.unsafe_fixes)
            .unwrap_or(false);

        let mut settings = Settings::from_rules(&selected, &ignored, unsafe_fixes);
        settings.options = file.rules.clone();
        settings.registry = file.registry.clone();
        settings.hadolint_pragmas = !hadolint.disable_ignore_pragma;

        let filter = match &config {
            None => FileFilter::default(),
            Some(config) => FileFilter {
                root: config.root().to_path_buf(),
                include: globs(config, &file.include)?,
                exclude: globs(config, &file.exclude)?,
                force_exclude: file.force_exclude.unwrap_or(false),
            },
        };
        let mut contexts = Vec::new();
        if let Some(config) = &config {
            let mut patterns: Vec<_> = file.context.iter().collect();
            patterns.sort_by_key(|(glob, _)| std::cmp::Reverse(glob.get_ref().len()));
            for (pattern, dir) in patterns {
                let glob = file::glob(pattern.get_ref())
                    .map_err(|e| config.error(pattern.span(), e.to_string()))?;
                contexts.push((
                    glob.compile_matcher(),
                    absolute(&config.root().join(dir.get_ref())),
                ));
            }
        }
        Ok(FolderSettings {
            settings,
            config: config_path,
            filter,
            contexts,
        })
    }
}

fn globs(
    config: &file::LoadedConfig,
    patterns: &[toml::Spanned<String>],
) -> Result<GlobSet, ConfigError> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = file::glob(pattern.get_ref())
            .map_err(|e| config.error(pattern.span(), e.to_string()))?;
        set.add(glob);
    }
    set.build().map_err(|e| config.error(0..0, e.to_string()))
}

/// `path` made absolute against the current folder, without `.`
/// components (symlinks and `..` kept).
fn absolute(path: &Path) -> PathBuf {
    // Asked for every file (twice): a path that is already in that form is
    // taken as it is, without splitting it into components.
    let bytes = path.as_os_str().as_encoded_bytes();
    let plain = bytes.starts_with(b"/")
        && !bytes.ends_with(b"/.")
        && (bytes.len() == 1 || !bytes.ends_with(b"/"))
        && memchr::memmem::find(bytes, b"//").is_none()
        && memchr::memmem::find(bytes, b"/./").is_none();
    if plain {
        return path.to_path_buf();
    }
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(settings: &Settings) -> Vec<&'static str> {
        settings.rules.iter().map(|r| r.id).collect()
    }

    #[test]
    fn absolute_paths_lose_dot_components_only() {
        for (given, want) in [
            ("/a/b/Dockerfile", "/a/b/Dockerfile"),
            ("/a/./b", "/a/b"),
            ("/a//b/", "/a/b"),
            ("/a/b/.", "/a/b"),
            ("/a/../b", "/a/../b"),
            ("/", "/"),
        ] {
            assert_eq!(absolute(Path::new(given)), Path::new(want), "{given}");
        }
        assert!(absolute(Path::new("x/./y")).ends_with("x/y"));
    }

    #[test]
    fn select_and_ignore() {
        let all = Settings::new(&[], &[], false).unwrap();
        assert_eq!(all.rules.len(), defaults());
        // An opt-in rule runs only when named.
        assert!(!ids(&all).contains(&"cache-mount"));
        let opted = Settings::new(&["cache-mount".into()], &[], false).unwrap();
        assert_eq!(ids(&opted), ["cache-mount"]);
        let one = Settings::new(&["DL3020".into()], &[], false).unwrap();
        assert_eq!(ids(&one), ["add-to-copy"]);
        let without = Settings::new(&[], &["exec-form".into()], false).unwrap();
        assert!(!ids(&without).contains(&"exec-form"));
        assert!(Settings::new(&["nope".into()], &[], false).is_err());
    }

    /// The number of rules of the default selection.
    fn defaults() -> usize {
        rules::ALL.iter().filter(|r| !r.opt_in()).count()
    }

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn nearest_config_wins_and_cli_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "dockerfix.toml", "ignore = [\"exec-form\"]\n");
        write(
            root,
            "svc/.dockerfix.toml",
            "select = [\"DL3020\"]\nunsafe-fixes = true\n",
        );
        write(root, "svc/deep/x", "");
        let resolver = Resolver::new(Overrides::default()).unwrap();
        let top = resolver.for_folder(root).unwrap();
        assert!(!ids(&top.settings).contains(&"exec-form"));
        assert_eq!(top.settings.rules.len(), defaults() - 1);
        assert!(!top.settings.unsafe_fixes);
        let deep = resolver.for_folder(&root.join("svc/deep")).unwrap();
        assert_eq!(ids(&deep.settings), ["add-to-copy"]);
        assert!(deep.settings.unsafe_fixes);
        assert_eq!(
            deep.config.as_deref(),
            Some(&*root.join("svc/.dockerfix.toml"))
        );

        let resolver = Resolver::new(Overrides {
            select: vec!["maintainer-label".into()],
            unsafe_fixes: Some(false),
            ..Overrides::default()
        })
        .unwrap();
        let deep = resolver.for_folder(&root.join("svc/deep")).unwrap();
        assert_eq!(ids(&deep.settings), ["maintainer-label"]);
        assert!(!deep.settings.unsafe_fixes);

        let resolver = Resolver::new(Overrides {
            config: Some(root.join("dockerfix.toml")),
            ..Overrides::default()
        })
        .unwrap();
        let deep = resolver.for_folder(&root.join("svc/deep")).unwrap();
        assert!(!ids(&deep.settings).contains(&"exec-form"));
        assert!(ids(&deep.settings).contains(&"add-to-copy"));
    }

    #[test]
    fn hadolint_ignored_and_pragma_switch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            ".hadolint.yaml",
            "ignored: [DL3020, DL3008]\ndisable-ignore-pragma: true\n",
        );
        let resolver = Resolver::new(Overrides::default()).unwrap();
        let folder = resolver.for_folder(root).unwrap();
        let off: Vec<&str> = ["DL3020", "DL3008"]
            .iter()
            .flat_map(|code| rules::lookup(code))
            .map(|r| r.id)
            .collect();
        assert!(off.contains(&"add-to-copy"));
        let without: Vec<&str> = rules::ALL
            .iter()
            .filter(|r| !r.opt_in())
            .map(|r| r.id)
            .filter(|id| !off.contains(id))
            .collect();
        assert_eq!(ids(&folder.settings), without);
        assert!(!folder.settings.hadolint_pragmas);

        write(root, "dockerfix.toml", "hadolint-config = false\n");
        let resolver = Resolver::new(Overrides::default()).unwrap();
        let folder = resolver.for_folder(root).unwrap();
        assert_eq!(folder.settings.rules.len(), defaults());
        assert!(folder.settings.hadolint_pragmas);
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "dockerfix.toml",
            "select = [\n  \"add-to-copy\",\n  \"nope\",\n]\n",
        );
        let resolver = Resolver::new(Overrides::default()).unwrap();
        let err = resolver.for_folder(root).unwrap_err();
        assert_eq!((err.line, err.column), (3, 3));
        assert!(
            err.message
                .contains("`select`: unknown rule or code `nope`"),
            "{err}"
        );
        assert!(err.to_string().contains("dockerfix.toml:3:3: "), "{err}");

        write(root, "dockerfix.toml", "exclude = [\"a/[\"]\n");
        let err = Resolver::new(Overrides::default())
            .unwrap()
            .for_folder(root)
            .unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.starts_with("`exclude`: "), "{err}");

        write(root, ".dockerfix.toml", "");
        let err = Resolver::new(Overrides::default())
            .unwrap()
            .for_folder(root)
            .unwrap_err();
        assert!(err.message.contains("keep one"), "{err}");

        let err = Resolver::new(Overrides {
            config: Some(root.join("missing.toml")),
            ..Overrides::default()
        })
        .err()
        .unwrap();
        assert!(
            err.to_string().contains("missing.toml: cannot read"),
            "{err}"
        );
    }

    #[test]
    fn include_and_exclude() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "dockerfix.toml",
            "include = [\"docker/*.df\"]\nexclude = [\"vendor\", \"**/test-*.Dockerfile\"]\n",
        );
        let resolver = Resolver::new(Overrides::default()).unwrap();
        let folder = resolver.for_folder(root).unwrap();
        let wants = |p: &str, explicit| folder.wants(&root.join(p), explicit);
        assert!(wants("Dockerfile", false));
        assert!(wants("docker/api.df", false));
        assert!(!wants("docker/sub/api.df", false), "* stays in its folder");
        assert!(!wants("README.md", false));
        assert!(!wants("vendor/x/Dockerfile", false));
        assert!(!wants("a/test-x.Dockerfile", false));
        assert!(wants("vendor/x/Dockerfile", true), "named files are kept");
        write(
            root,
            "dockerfix.toml",
            "exclude = [\"vendor\"]\nforce-exclude = true\n",
        );
        let resolver = Resolver::new(Overrides::default()).unwrap();
        let folder = resolver.for_folder(root).unwrap();
        assert!(!folder.wants(&root.join("vendor/x/Dockerfile"), true));
    }
}
