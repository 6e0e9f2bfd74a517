//! The Java recipe: the jars `mvn package` (or `./mvnw`, `install`,
//! `verify`) writes to `target/`, or `gradle build` (`./gradlew`) to
//! `build/libs/`, on the JRE of the builder's JDK: the official JRE image,
//! or the slim distro with the JRE package of the JDK package.

use std::collections::BTreeSet;

use super::rust::{cd_before, context_folder, values};
use super::slim_base::{openjdk_jre, temurin_jre};
use super::{Input, Recipe, absolute, run_position, slim_distro};
use crate::shell::SimpleCommand;
use crate::stage_use::is_build_package;

/// Maven phases that write the jar.
const MAVEN_PHASES: &[&str] = &["package", "verify", "install", "deploy"];

/// Gradle tasks that write the jar.
const GRADLE_TASKS: &[&str] = &["build", "assemble", "jar", "bootJar", "shadowJar"];

/// A build: the tool, its arguments, the folder of its project's output
/// under the project folder.
struct Build<'c> {
    command: &'c SimpleCommand,
    args: Vec<Option<String>>,
    maven: bool,
}

fn build_of(command: &SimpleCommand) -> Option<Build<'_>> {
    let maven = match command.program()? {
        "mvn" | "mvnw" => true,
        "gradle" | "gradlew" => false,
        _ => return None,
    };
    let args: Vec<Option<String>> = command
        .args()
        .iter()
        .map(|w| w.literal().map(|l| l.into_owned()))
        .collect();
    let goals: &[&str] = if maven { MAVEN_PHASES } else { GRADLE_TASKS };
    let builds = args.iter().flatten().any(|a| goals.contains(&a.as_str()));
    builds.then_some(Build {
        command,
        args,
        maven,
    })
}

/// Packages only a Java build needs: the build tools, JDKs (their JRE is
/// added instead) and Debian's packaged Maven plugins.
fn java_build_only(package: &str) -> bool {
    ["maven", "gradle", "ant"].contains(&package)
        || jre_of(package).is_some()
        || package.starts_with("libmaven")
        || package == "libsurefire-java"
        || is_build_package(package)
}

/// The JRE package of a JDK package (Debian's, Ubuntu's, Alpine's).
fn jre_of(package: &str) -> Option<String> {
    if package == "default-jdk" || package == "default-jdk-headless" {
        return Some("default-jre-headless".into());
    }
    if let Some(version) = package.strip_prefix("openjdk-") {
        let version = version
            .strip_suffix("-jdk-headless")
            .or_else(|| version.strip_suffix("-jdk"))?;
        return Some(format!("openjdk-{version}-jre-headless"));
    }
    // Alpine: openjdk17, openjdk17-jdk.
    let version = package.strip_prefix("openjdk")?;
    let version = version.strip_suffix("-jdk").unwrap_or(version);
    (!version.is_empty() && version.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("openjdk{version}-jre-headless"))
}

/// `17`, `17-jammy`, `17-alpine` (a JDK tag's version and OS) → the JRE
/// tag of eclipse-temurin.
fn temurin(tag: &str) -> Option<String> {
    if let Some(version) = tag.strip_suffix("-alpine") {
        let version = version.strip_suffix("-jdk").unwrap_or(version);
        return Some(format!("{version}-jre-alpine"));
    }
    temurin_jre(tag)
}

/// The `openjdk` image has JRE tags for Java 8 and 11 only, and is
/// deprecated in favour of other builds of OpenJDK: an LTS JDK from 17 on
/// (`17`, `17-jdk-slim`, `21-oracle`, `17-alpine`) runs its jar on the JRE
/// of Eclipse Temurin's build of the same release.
fn openjdk_to_temurin(tag: &str) -> Option<String> {
    let version = tag.split('-').next().unwrap_or(tag);
    let major = version.split('.').next().unwrap_or(version);
    if !["17", "21", "25"].contains(&major) || tag.contains("jre") {
        return None;
    }
    let os = if tag.contains("alpine") {
        "-alpine"
    } else {
        ""
    };
    Some(format!("eclipse-temurin:{major}-jre{os}"))
}

/// The JRE image of an official JDK, Maven or Gradle image.
fn official_jre(repository: &str, image: &str) -> Option<Result<String, String>> {
    let tag = image
        .rfind(':')
        .filter(|i| !image[*i..].contains('/'))
        .map_or("latest", |i| &image[i + 1..]);
    let tag = tag.split('@').next().unwrap_or(tag);
    let unknown = || {
        Err(format!(
            "{image} names no JDK dockerfix knows the JRE image of"
        ))
    };
    let jre = match repository {
        "eclipse-temurin" => temurin(tag).map(|t| format!("eclipse-temurin:{t}")),
        "openjdk" => openjdk_jre(tag)
            .map(|t| format!("openjdk:{t}"))
            .or_else(|| openjdk_to_temurin(tag)),
        // maven:3.9-eclipse-temurin-17[-alpine], maven:3-openjdk-11.
        "maven" => match (
            tag.split_once("eclipse-temurin-"),
            tag.split_once("openjdk-"),
        ) {
            (Some((_, jdk)), _) => temurin(jdk).map(|t| format!("eclipse-temurin:{t}")),
            (None, Some((_, jdk))) => openjdk_jre(jdk)
                .map(|t| format!("openjdk:{t}"))
                .or_else(|| openjdk_to_temurin(jdk)),
            _ => None,
        },
        // gradle:8.5-jdk17[-jammy|-alpine], built on eclipse-temurin.
        "gradle" => tag.split_once("jdk").and_then(|(_, jdk)| {
            let (version, os) = jdk
                .split_once('-')
                .map_or((jdk, None), |(v, o)| (v, Some(o)));
            let version_ok = !version.is_empty() && version.chars().all(|c| c.is_ascii_digit());
            let tag = match os {
                Some(os) => format!("{version}-{os}"),
                None => version.to_owned(),
            };
            version_ok
                .then(|| temurin(&tag))
                .flatten()
                .map(|t| format!("eclipse-temurin:{t}"))
        }),
        _ => return None,
    };
    Some(jre.ok_or(()).or_else(|()| unknown()))
}

pub(super) fn recipe(input: &Input<'_, '_, '_>) -> Option<Result<Recipe, String>> {
    let build = input.commands.iter().rev().find_map(|c| build_of(c))?;
    Some(split(input, &build))
}

fn split(input: &Input<'_, '_, '_>, build: &Build<'_>) -> Result<Recipe, String> {
    let Input {
        stage, image, uses, ..
    } = *input;
    let shown = build.command.one_line();
    if build.args.iter().any(Option::is_none) {
        return Err(format!(
            "`{shown}` has a variable: what it builds cannot be known"
        ));
    }
    if cd_before(input, build.command) {
        return Err(format!(
            "a `cd` before `{shown}`: the folder it builds in cannot be known"
        ));
    }
    let position =
        run_position(stage, build.command.span.start).ok_or("the RUN cannot be found")?;
    let cwd = stage
        .workdir_at(position)
        .ok_or_else(|| format!("the folder `{shown}` runs in cannot be known (no WORKDIR)"))?
        .to_owned();
    let (project, output) = if build.maven {
        for flag in ["-pl", "--projects"] {
            if !values(&build.args, flag).is_empty() {
                return Err(format!(
                    "`{shown}` builds modules of several: where their jars are cannot be known"
                ));
            }
        }
        let file = values(&build.args, "-f")
            .into_iter()
            .chain(values(&build.args, "--file"))
            .flatten()
            .last();
        let project = match file {
            Some(file) => {
                let path =
                    absolute(stage, position, &file).ok_or("the path of `-f` cannot be known")?;
                match path.strip_suffix(".xml") {
                    Some(_) => path
                        .rsplit_once('/')
                        .map_or("/".to_owned(), |(d, _)| d.to_owned()),
                    None => path,
                }
            }
            None => cwd.clone(),
        };
        (project, "target")
    } else {
        let dir = values(&build.args, "-p")
            .into_iter()
            .chain(values(&build.args, "--project-dir"))
            .flatten()
            .last();
        let project = match dir {
            Some(dir) => {
                absolute(stage, position, &dir).ok_or("the path of `-p` cannot be known")?
            }
            None => cwd.clone(),
        };
        (project, "build/libs")
    };
    let manifests: &[&str] = if build.maven {
        &["pom.xml"]
    } else {
        &["settings.gradle", "settings.gradle.kts"]
    };
    for manifest in manifests {
        let (Some(context), Some(folder)) =
            (input.context, context_folder(input, &project, manifest))
        else {
            continue;
        };
        let path = if folder.is_empty() {
            (*manifest).to_owned()
        } else {
            format!("{folder}/{manifest}")
        };
        let Some(text) = context.read(&path) else {
            continue;
        };
        if build.maven && text.contains("<modules>") {
            return Err(format!(
                "{path} has modules: where their jars are cannot be known"
            ));
        }
        if build.maven
            && ["war", "ear", "pom"]
                .iter()
                .any(|p| text.contains(&format!("<packaging>{p}</packaging>")))
        {
            return Err(format!("{path} packages no jar"));
        }
        // `include("app")`, `include 'app'`: a project of several
        // (`includeBuild` and comments aside).
        let includes = text.lines().any(|line| {
            let line = line.trim_start();
            line.starts_with("include(")
                || line.starts_with("include ")
                || line.starts_with("include'")
        });
        if !build.maven && includes {
            return Err(format!(
                "{path} includes projects: where their jars are cannot be known"
            ));
        }
    }
    let folder = format!("{}/{output}", project.trim_end_matches('/'));
    for command in input
        .commands
        .iter()
        .filter(|c| c.span.start > build.command.span.start)
    {
        if !matches!(command.program(), Some("cp" | "mv")) {
            continue;
        }
        let moves_jar = command.args().iter().any(|w| {
            let raw = w.raw().trim_matches(['"', '\'']);
            let at = run_position(stage, command.span.start).and_then(|p| stage.workdir_at(p));
            at.is_some_and(|at| {
                crate::runs::normal_path(at, raw).starts_with(&format!("{folder}/"))
            })
        });
        if moves_jar {
            return Err(format!(
                "`{}` moves the jar: where the program finds it cannot be known",
                command.one_line()
            ));
        }
    }
    let mut packages = BTreeSet::new();
    let base = match crate::images::repository(image)
        .as_deref()
        .and_then(|r| official_jre(r, image))
    {
        Some(jre) => jre?,
        None => {
            let base = slim_distro(image)?;
            let jres: BTreeSet<String> = uses.packages.iter().filter_map(|p| jre_of(p)).collect();
            if jres.is_empty() {
                if !uses.packages.contains("maven") && !uses.packages.contains("gradle") {
                    return Err("the file installs no JDK package: the JRE the program runs on cannot be known".into());
                }
                packages.insert("default-jre-headless".to_owned());
            }
            packages.extend(jres);
            base
        }
    };
    packages.extend(
        uses.packages
            .iter()
            .filter(|p| !java_build_only(p))
            .cloned(),
    );
    let mut unproven = vec![format!(
        "files the program reads besides the jars of {folder} (dependencies outside the jar, resources)"
    )];
    if base.starts_with("eclipse-temurin:") && image.contains("openjdk") {
        unproven.push(format!(
            "the program on Eclipse Temurin's JRE instead of {image}'s build of OpenJDK"
        ));
    }
    Ok(Recipe {
        ecosystem: if build.maven { "Maven" } else { "Gradle" },
        base,
        packages: packages.into_iter().collect(),
        steps: Vec::new(),
        copies: Vec::new(),
        copies_to: vec![(format!("{folder}/*.jar"), format!("{folder}/"))],
        unproven,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jres() {
        let jre = |image: &str| {
            let repository = crate::images::repository(image).unwrap();
            official_jre(&repository, image).unwrap()
        };
        assert_eq!(
            jre("maven:3.9-eclipse-temurin-17").unwrap(),
            "eclipse-temurin:17-jre"
        );
        assert_eq!(
            jre("maven:3.9.6-eclipse-temurin-21-jammy").unwrap(),
            "eclipse-temurin:21-jre-jammy"
        );
        assert_eq!(
            jre("maven:3.9-eclipse-temurin-17-alpine").unwrap(),
            "eclipse-temurin:17-jre-alpine"
        );
        assert_eq!(jre("maven:3-openjdk-11").unwrap(), "openjdk:11-jre");
        assert!(jre("maven:3.9").is_err());
        assert!(jre("maven:3-amazoncorretto-17").is_err());
        assert_eq!(
            jre("eclipse-temurin:17-jdk-jammy").unwrap(),
            "eclipse-temurin:17-jre-jammy"
        );
        assert_eq!(
            jre("eclipse-temurin:21-jdk-alpine").unwrap(),
            "eclipse-temurin:21-jre-alpine"
        );
        assert_eq!(jre("gradle:8.5-jdk17").unwrap(), "eclipse-temurin:17-jre");
        assert_eq!(
            jre("gradle:8.5-jdk21-jammy").unwrap(),
            "eclipse-temurin:21-jre-jammy"
        );
        assert_eq!(jre("openjdk:17-jdk").unwrap(), "eclipse-temurin:17-jre");
        assert_eq!(jre("openjdk:21-slim").unwrap(), "eclipse-temurin:21-jre");
        assert_eq!(
            jre("openjdk:17-alpine").unwrap(),
            "eclipse-temurin:17-jre-alpine"
        );
        assert_eq!(
            jre("maven:3.8.5-openjdk-17").unwrap(),
            "eclipse-temurin:17-jre"
        );
        assert!(jre("openjdk:18-jdk").is_err(), "no LTS: no Temurin JRE");
        assert!(jre("maven:3.8-openjdk-18").is_err());
        assert_eq!(
            jre_of("openjdk-17-jdk-headless").as_deref(),
            Some("openjdk-17-jre-headless")
        );
        assert_eq!(
            jre_of("default-jdk").as_deref(),
            Some("default-jre-headless")
        );
        assert_eq!(
            jre_of("openjdk17").as_deref(),
            Some("openjdk17-jre-headless")
        );
        assert_eq!(jre_of("openjdk-17-jre-headless"), None);
    }
}
