//! Builder processes under supervision: each runs in its own process group,
//! so a timeout or Ctrl-C stops it with everything it started; its output
//! is read line by line (for progress) and its last lines kept (for errors).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Set by Ctrl-C or SIGTERM: every supervised process is stopped and the
/// run ends after removing its images.
static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Stops every supervised process from now on (Ctrl-C, SIGTERM).
pub fn cancel() {
    CANCELLED.store(true, Ordering::SeqCst);
}

pub fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// How many of a process's last output lines are kept for its error message.
const TAIL_LINES: usize = 40;

/// Why a supervised process did not finish by itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Stopped {
    #[error("stopped after the timeout of {}", humantime::format_duration(*.0))]
    Timeout(Duration),
    #[error("interrupted")]
    Cancelled,
    #[error("cannot start `{program}`: {reason}")]
    Spawn { program: String, reason: String },
}

/// A finished process: its status and the last lines it printed.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub tail: Vec<String>,
    pub elapsed: Duration,
}

impl Finished {
    /// The last lines, for an error message.
    pub fn tail_text(&self) -> String {
        self.tail.join("\n")
    }
}

/// Runs `command` to its end, or until `timeout` passes or the run is
/// cancelled; every line of its standard output and error goes to
/// `on_line` as it comes.
pub fn run_logged(
    command: Command,
    timeout: Duration,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Finished, Stopped> {
    let started = Instant::now();
    let mut child = spawn(command)?;
    let watchdog = Watchdog::start(&child, timeout);
    let tail = Tail::default();
    let keep = |line: &str| {
        on_line(line);
        tail.push(line);
    };
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    std::thread::scope(|scope| {
        if let Some(out) = stdout {
            scope.spawn(|| read_lines(out, &keep));
        }
        if let Some(err) = stderr {
            scope.spawn(|| read_lines(err, &keep));
        }
    });
    finish(child, watchdog, tail, started)
}

/// Runs `command` with its standard output given to `consume` as a stream
/// (an exported image); standard error is kept for the error message.
pub fn run_streaming<T>(
    command: Command,
    timeout: Duration,
    consume: impl FnOnce(&mut dyn Read) -> T,
) -> Result<(T, Finished), Stopped> {
    let started = Instant::now();
    let mut child = spawn(command)?;
    let watchdog = Watchdog::start(&child, timeout);
    let tail = Tail::default();
    let stderr = child.stderr.take();
    let mut stdout = child.stdout.take();
    let value = std::thread::scope(|scope| {
        if let Some(err) = stderr {
            scope.spawn(|| read_lines(err, &|line: &str| tail.push(line)));
        }
        let value = match stdout.as_mut() {
            Some(out) => consume(out),
            None => consume(&mut std::io::empty()),
        };
        // Whatever the reader left unread, the process must be able to
        // write to finish.
        if let Some(out) = stdout.as_mut() {
            let _ = std::io::copy(out, &mut std::io::sink());
        }
        value
    });
    Ok((value, finish(child, watchdog, tail, started)?))
}

/// The last [`TAIL_LINES`] lines a process printed.
#[derive(Default)]
struct Tail(Mutex<VecDeque<String>>);

impl Tail {
    fn push(&self, line: &str) {
        let mut tail = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line.to_owned());
    }
}

/// Waits for `child`: stopped by the watchdog, or finished.
fn finish(
    mut child: Child,
    watchdog: Watchdog,
    tail: Tail,
    started: Instant,
) -> Result<Finished, Stopped> {
    let status = child.wait();
    if let Some(reason) = watchdog.finish() {
        return Err(reason);
    }
    let status = status.map_err(|e| Stopped::Spawn {
        program: String::new(),
        reason: e.to_string(),
    })?;
    Ok(Finished {
        status,
        tail: tail
            .0
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into(),
        elapsed: started.elapsed(),
    })
}

/// Starts `command` with its output piped and no input.
fn spawn(mut command: Command) -> Result<Child, Stopped> {
    if cancelled() {
        return Err(Stopped::Cancelled);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group: a timeout stops the builder and its children,
    // and the terminal's Ctrl-C reaches dockerfix, which stops it.
    command.process_group(0);
    let program = command.get_program().to_string_lossy().into_owned();
    command.spawn().map_err(|e| Stopped::Spawn {
        program,
        reason: e.to_string(),
    })
}

fn read_lines(stream: impl Read, on_line: &(dyn Fn(&str) + Sync)) {
    let mut reader = BufReader::new(stream);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                let text = String::from_utf8_lossy(&buf);
                // Progress bars of builders redraw with carriage returns.
                let line = text
                    .trim_end_matches(['\n', '\r'])
                    .rsplit('\r')
                    .next()
                    .unwrap_or("");
                on_line(line);
            }
        }
    }
}

/// Stops a process group when its time is up or the run is cancelled:
/// SIGTERM first, SIGKILL a few seconds later.
struct Watchdog {
    done: Arc<AtomicBool>,
    stopped: Arc<Mutex<Option<Stopped>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long a process may take to end after SIGTERM before it is killed.
const GRACE: Duration = Duration::from_secs(5);

impl Watchdog {
    fn start(child: &Child, timeout: Duration) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let stopped = Arc::new(Mutex::new(None));
        let group = i32::try_from(child.id()).unwrap_or(0);
        let thread = {
            let done = Arc::clone(&done);
            let stopped = Arc::clone(&stopped);
            std::thread::spawn(move || {
                let deadline = Instant::now() + timeout;
                let mut terminated_at: Option<Instant> = None;
                while !done.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                    if let Some(at) = terminated_at {
                        if at.elapsed() > GRACE {
                            signal(group, libc::SIGKILL);
                        }
                        continue;
                    }
                    let reason = if cancelled() {
                        Stopped::Cancelled
                    } else if Instant::now() >= deadline {
                        Stopped::Timeout(timeout)
                    } else {
                        continue;
                    };
                    *stopped.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason);
                    signal(group, libc::SIGTERM);
                    terminated_at = Some(Instant::now());
                }
            })
        };
        Self {
            done,
            stopped,
            thread: Some(thread),
        }
    }

    /// The process ended: why it was stopped, if it was.
    fn finish(mut self) -> Option<Stopped> {
        self.done.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.stopped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

fn signal(group: i32, signal: i32) {
    if group > 0 {
        // SAFETY: killpg only sends a signal to the group dockerfix made for
        // this child; a group that is gone makes it fail harmlessly.
        unsafe {
            libc::killpg(group, signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_lines_reach_the_callback_and_the_tail() {
        let seen = Mutex::new(Vec::new());
        let mut command = Command::new("sh");
        command.args(["-c", "echo one; echo two >&2; printf 'a\\rb\\n'; exit 3"]);
        let done = run_logged(command, Duration::from_secs(20), &|l| {
            seen.lock().unwrap().push(l.to_owned());
        })
        .unwrap();
        assert_eq!(done.status.code(), Some(3));
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, ["b", "one", "two"]);
        assert_eq!(done.tail.len(), 3);
    }

    #[test]
    fn a_timeout_stops_the_whole_group() {
        let mut command = Command::new("sh");
        // The child sleeps in a grandchild: the group must go, not only sh.
        command.args(["-c", "sleep 30 & wait"]);
        let started = Instant::now();
        let result = run_logged(command, Duration::from_millis(300), &|_| {});
        assert_eq!(
            result.unwrap_err(),
            Stopped::Timeout(Duration::from_millis(300))
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_missing_program_is_an_error_that_names_it() {
        let command = Command::new("/nonexistent/builder");
        let err = run_logged(command, Duration::from_secs(5), &|_| {}).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/builder"), "{err}");
    }

    #[test]
    fn a_stream_is_read_whole() {
        let mut command = Command::new("sh");
        command.args(["-c", "head -c 100000 /dev/zero; echo warn >&2"]);
        let (count, done) = run_streaming(command, Duration::from_secs(20), |r| {
            std::io::copy(r, &mut std::io::sink()).unwrap()
        })
        .unwrap();
        assert_eq!(count, 100_000);
        assert!(done.status.success());
        assert_eq!(done.tail, ["warn"]);
    }
}
