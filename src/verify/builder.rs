//! The image builders verify drives through their command lines: docker
//! (BuildKit through `docker buildx`, or the classic builder where buildx
//! is missing), podman and buildah. Each adapter knows how to build, export
//! (as a stream) and remove an image.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The builder asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// The first that works: docker, podman, buildah.
    Auto,
    Docker,
    Podman,
    Buildah,
}

/// A builder found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// `docker buildx build --load` (BuildKit), on `builder` when named.
    Buildx {
        builder: Option<String>,
    },
    /// `docker build` with `DOCKER_BUILDKIT=0`: the daemon's own builder.
    DockerClassic,
    Podman,
    Buildah,
}

/// How each build is asked for, besides the Dockerfile and context.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// `--build-arg KEY=VALUE`.
    pub build_args: Vec<String>,
    pub target: Option<String>,
    pub platform: Option<String>,
    /// `--secret id=…,src=…`, as the builder takes it.
    pub secrets: Vec<String>,
    /// More options for the build command, passed as they are.
    pub extra: Vec<String>,
}

/// A builder ready to use, with a name and version for reports.
#[derive(Debug, Clone)]
pub struct Builder {
    pub engine: Engine,
    /// `buildah 1.28.2`, `docker 20.10.24 (classic builder)`, …
    pub description: String,
}

/// How long probing one builder may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs a probe command; its trimmed standard output when it succeeds, else
/// why not.
fn probe(program: &str, args: &[&str]) -> Result<String, String> {
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::null());
    let done = super::process::run_streaming(command, PROBE_TIMEOUT, |out| {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    match done {
        Ok((text, finished)) if finished.status.success() => Ok(text.trim().to_owned()),
        Ok((_, finished)) => {
            let tail = finished.tail_text();
            let reason = tail
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            Err(format!("`{program} {}` failed: {reason}", args.join(" ")))
        }
        Err(super::process::Stopped::Spawn { .. }) => Err(format!("`{program}` is not installed")),
        Err(e) => Err(format!("`{program}`: {e}")),
    }
}

impl Builder {
    /// The builder `choice` names, or with `auto` the first that works.
    /// The error lists what was tried and why each failed.
    pub fn find(choice: Choice, buildx_builder: Option<&str>) -> Result<Builder, String> {
        let order: &[Choice] = match choice {
            Choice::Auto => &[Choice::Docker, Choice::Podman, Choice::Buildah],
            Choice::Docker => &[Choice::Docker],
            Choice::Podman => &[Choice::Podman],
            Choice::Buildah => &[Choice::Buildah],
        };
        let mut tried = Vec::new();
        for candidate in order {
            match Self::probe(*candidate, buildx_builder) {
                Ok(builder) => return Ok(builder),
                Err(reason) => tried.push(reason),
            }
        }
        Err(format!(
            "no image builder works here; tried: {}. Install one: Docker with buildx \
             (https://docs.docker.com/engine/install/), podman or buildah \
             (`apt-get install buildah`), or name one with --builder",
            tried.join("; ")
        ))
    }

    fn probe(choice: Choice, buildx_builder: Option<&str>) -> Result<Builder, String> {
        match choice {
            Choice::Docker => {
                let server = probe("docker", &["version", "--format", "{{.Server.Version}}"])?;
                match probe("docker", &["buildx", "version"]) {
                    Ok(buildx) => Ok(Builder {
                        engine: Engine::Buildx {
                            builder: buildx_builder.map(str::to_owned),
                        },
                        description: format!("docker {server}, {buildx}"),
                    }),
                    Err(_) if buildx_builder.is_some() => Err(
                        "--buildx-builder names a buildx builder, but `docker buildx` is missing"
                            .into(),
                    ),
                    Err(_) => Ok(Builder {
                        engine: Engine::DockerClassic,
                        description: format!("docker {server} (classic builder: no buildx)"),
                    }),
                }
            }
            Choice::Podman => {
                let version = probe("podman", &["version", "--format", "{{.Client.Version}}"])?;
                // `podman info` fails where podman cannot run containers.
                probe(
                    "podman",
                    &["info", "--format", "{{.Store.GraphDriverName}}"],
                )?;
                Ok(Builder {
                    engine: Engine::Podman,
                    description: format!("podman {version}"),
                })
            }
            Choice::Buildah => {
                let version = probe("buildah", &["version"])?;
                let version = version
                    .lines()
                    .find_map(|l| l.strip_prefix("Version:"))
                    .map_or("", str::trim)
                    .to_owned();
                probe("buildah", &["info"])?;
                Ok(Builder {
                    engine: Engine::Buildah,
                    description: format!("buildah {version}"),
                })
            }
            Choice::Auto => Err("auto is not a builder".into()),
        }
    }

    /// The short name of the engine.
    pub fn name(&self) -> &'static str {
        match self.engine {
            Engine::Buildx { .. } | Engine::DockerClassic => "docker",
            Engine::Podman => "podman",
            Engine::Buildah => "buildah",
        }
    }

    /// The command that builds `dockerfile` in `context` as image `tag`.
    pub fn build(
        &self,
        dockerfile: &Path,
        context: &Path,
        tag: &str,
        options: &BuildOptions,
    ) -> Command {
        let mut command = match &self.engine {
            Engine::Buildx { builder } => {
                let mut c = Command::new("docker");
                c.args(["buildx", "build", "--load", "--progress", "plain"]);
                if let Some(builder) = builder {
                    c.args(["--builder", builder]);
                }
                c
            }
            Engine::DockerClassic => {
                let mut c = Command::new("docker");
                c.env("DOCKER_BUILDKIT", "0").arg("build");
                c
            }
            Engine::Podman => {
                let mut c = Command::new("podman");
                // Docker's image format: the OCI format has no SHELL,
                // HEALTHCHECK or ONBUILD, and podman drops them (with a
                // warning), so a fix of those would never be built.
                // --force-rm: a failed or stopped build removes its
                // working container too (it would stay, with its layers
                // mounted).
                c.args(["build", "--format", "docker", "--force-rm"]);
                c
            }
            Engine::Buildah => {
                let mut c = Command::new("buildah");
                // Steps cached as docker and podman cache them: the fixed
                // file and the bisect reuse what they share with the
                // original.
                // Docker's image format, as for podman.
                // A failed build removes its working container, as for
                // podman.
                c.args(["bud", "--layers", "--format", "docker", "--force-rm"]);
                c
            }
        };
        command.arg("-f").arg(dockerfile).args(["-t", tag]);
        for arg in &options.build_args {
            command.args(["--build-arg", arg]);
        }
        if let Some(target) = &options.target {
            command.args(["--target", target]);
        }
        if let Some(platform) = &options.platform {
            command.args(["--platform", platform]);
        }
        for secret in &options.secrets {
            command.args(["--secret", secret]);
        }
        command.args(&options.extra).arg(context);
        command
    }

    /// The command that writes image `tag` to its standard output as an
    /// archive (docker-archive, or an OCI layout from newer docker).
    pub fn export(&self, tag: &str) -> Command {
        match self.engine {
            Engine::Buildx { .. } | Engine::DockerClassic => {
                let mut c = Command::new("docker");
                c.args(["save", tag]);
                c
            }
            Engine::Podman => {
                let mut c = Command::new("podman");
                c.args(["save", "--format", "docker-archive", tag]);
                c
            }
            Engine::Buildah => {
                let mut c = Command::new("buildah");
                c.args(["push", "--quiet", tag, "docker-archive:/dev/stdout"]);
                c
            }
        }
    }

    /// The command that removes images `tags`.
    pub fn remove(&self, tags: &[String]) -> Command {
        let program = match self.engine {
            Engine::Buildx { .. } | Engine::DockerClassic => "docker",
            Engine::Podman => "podman",
            Engine::Buildah => "buildah",
        };
        let mut c = Command::new(program);
        c.args(["rmi", "--force"]).args(tags);
        c
    }
}

/// The last builder line that says which step runs: `STEP 2/5: RUN …`
/// (buildah, podman), `Step 2/5 : RUN …` (docker's classic builder) or
/// `#7 [2/4] RUN …` (BuildKit's plain progress); `(step, steps, text)`.
pub fn step_of(line: &str) -> Option<(u64, u64, &str)> {
    let (counts, text) = if let Some(rest) = line.strip_prefix("STEP ") {
        rest.split_once(": ")?
    } else if let Some(rest) = line.strip_prefix("Step ") {
        rest.split_once(" : ")?
    } else if line.starts_with('#') {
        let open = line.find(" [")?;
        let rest = &line[open + 2..];
        let (inside, text) = rest.split_once("] ")?;
        // `[stage 2/4]` or `[2/4]`.
        (inside.rsplit(' ').next()?, text)
    } else {
        return None;
    };
    let (step, steps) = counts.split_once('/')?;
    Some((step.trim().parse().ok()?, steps.trim().parse().ok()?, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_of_each_builder() {
        assert_eq!(
            step_of("STEP 2/5: RUN apt-get update"),
            Some((2, 5, "RUN apt-get update"))
        );
        assert_eq!(
            step_of("Step 1/3 : FROM debian"),
            Some((1, 3, "FROM debian"))
        );
        assert_eq!(step_of("#7 [build 2/4] RUN make"), Some((2, 4, "RUN make")));
        assert_eq!(step_of("#5 [2/4] COPY . ."), Some((2, 4, "COPY . .")));
        assert_eq!(step_of("Get:1 http://deb.debian.org bookworm"), None);
        assert_eq!(step_of("#3 [internal] load metadata"), None);
    }

    #[test]
    fn commands_carry_the_options() {
        let builder = Builder {
            engine: Engine::Buildah,
            description: String::new(),
        };
        let options = BuildOptions {
            build_args: vec!["A=1".into()],
            target: Some("final".into()),
            extra: vec!["--pull=never".into()],
            ..BuildOptions::default()
        };
        let command = builder.build(
            Path::new("/t/Dockerfile"),
            Path::new("/ctx"),
            "x:1",
            &options,
        );
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "bud",
                "--layers",
                "--format",
                "docker",
                "--force-rm",
                "-f",
                "/t/Dockerfile",
                "-t",
                "x:1",
                "--build-arg",
                "A=1",
                "--target",
                "final",
                "--pull=never",
                "/ctx"
            ]
        );
        let classic = Builder {
            engine: Engine::DockerClassic,
            description: String::new(),
        };
        let command = classic.build(
            Path::new("D"),
            Path::new("."),
            "t",
            &BuildOptions::default(),
        );
        assert!(
            command
                .get_envs()
                .any(|(k, v)| k == "DOCKER_BUILDKIT" && v == Some("0".as_ref()))
        );
    }
}
