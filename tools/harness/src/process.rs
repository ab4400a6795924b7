//! Programs as processes: a server we start and stop, and one-shot commands.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
pub use rustix::process::Signal;
use rustix::process::{Pid, kill_process};

/// How long a server may take to print its "running" line.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a server may take to stop once signalled: its default grace
/// period (10 s) and some.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// What a finished program printed, and how it ended.
#[derive(Debug, Clone)]
pub struct Output {
    /// The exit code, or None when a signal ended the program.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    fn new(status: ExitStatus, stdout: String, stderr: String) -> Self {
        Self {
            code: status.code(),
            stdout,
            stderr,
        }
    }

    /// Everything at once, for a snapshot: exit code, stdout, stderr.
    pub fn transcript(&self) -> String {
        let code = self
            .code
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
        format!(
            "exit code: {code}\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        )
    }
}

/// Runs `program` with `args` to the end.
pub fn run(program: &Path, args: &[&str]) -> anyhow::Result<Output> {
    run_with_env(program, args, &[])
}

/// [`run`], with environment variables set (`(name, None)` removes one).
pub fn run_with_env(
    program: &Path,
    args: &[&str],
    env: &[(&str, Option<&str>)],
) -> anyhow::Result<Output> {
    let mut command = Command::new(program);
    set_env(&mut command, env);
    let output = command
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    Ok(Output::new(
        output.status,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// A running Flight server process. Dropping it kills the process.
pub struct Server {
    child: Child,
    /// The line the server printed when it was ready.
    pub ready_line: String,
    /// The port it named in that line.
    pub port: u16,
    stdout: JoinHandle<String>,
    stderr: JoinHandle<String>,
}

impl Server {
    /// Starts `program` and waits until it prints
    /// `Arrow Flight server running on port N`: from then on, it accepts connections.
    pub fn start(program: &Path, args: &[&str]) -> anyhow::Result<Server> {
        Self::start_with_env(program, args, &[])
    }

    /// [`Server::start`], with environment variables set.
    pub fn start_with_env(
        program: &Path,
        args: &[&str],
        env: &[(&str, Option<&str>)],
    ) -> anyhow::Result<Server> {
        let mut command = Command::new(program);
        set_env(&mut command, env);
        let mut child = command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", program.display()))?;
        let stderr = read_all(child.stderr.take().context("no stderr")?);
        let (first_line, stdout) = read_first_line(child.stdout.take().context("no stdout")?);

        let Ok(Some(ready_line)) = first_line.recv_timeout(START_TIMEOUT) else {
            child.kill().ok();
            let status = child.wait()?;
            let stderr = stderr.join().unwrap_or_default();
            bail!("the server did not start ({status}): {}", stderr.trim_end());
        };
        let port = ready_line
            .trim_end()
            .strip_prefix("Arrow Flight server running on port ")
            .and_then(|port| port.parse().ok())
            .with_context(|| format!("unexpected first line from the server: {ready_line:?}"))?;
        Ok(Server {
            child,
            ready_line,
            port,
            stdout,
            stderr,
        })
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM (what `kill` and service managers send) and waits for the exit.
    pub fn stop(self) -> anyhow::Result<Output> {
        self.stop_with(Signal::TERM, STOP_TIMEOUT)
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the exit.
    pub fn interrupt(self) -> anyhow::Result<Output> {
        self.stop_with(Signal::INT, STOP_TIMEOUT)
    }

    /// Sends `signal` and waits at most `timeout` for the exit; a server
    /// still running then is killed, and that is an error.
    pub fn stop_with(mut self, signal: Signal, timeout: Duration) -> anyhow::Result<Output> {
        send(&self.child, signal)?;
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait()? {
                break status;
            }
            if Instant::now() >= deadline {
                self.child.kill().ok();
                self.child.wait().ok();
                bail!("it was still running {timeout:?} after {signal:?}, and was killed");
            }
            // Polling the exit status: std has no wait with a timeout.
            thread::sleep(Duration::from_millis(20));
        };
        let stdout = std::mem::replace(&mut self.stdout, thread::spawn(String::new));
        let stderr = std::mem::replace(&mut self.stderr, thread::spawn(String::new));
        let rest = stdout.join().unwrap_or_default();
        Ok(Output::new(
            status,
            format!("{}{rest}", self.ready_line),
            stderr.join().unwrap_or_default(),
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn set_env(command: &mut Command, env: &[(&str, Option<&str>)]) {
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
}

/// Reads `stdout` on its own thread: the first line comes through the
/// channel as soon as it is printed (None if the program ended first), the
/// rest when the thread is joined. A server that never answers cannot hang us.
fn read_first_line(stdout: ChildStdout) -> (mpsc::Receiver<Option<String>>, JoinHandle<String>) {
    let (sender, receiver) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        let printed = stdout.read_line(&mut line).is_ok_and(|n| n > 0);
        sender.send(printed.then_some(line)).ok();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).ok();
        rest
    });
    (receiver, reader)
}

/// Collects everything `pipe` carries until it closes, on its own thread.
fn read_all(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).ok();
        text
    })
}

/// Sends `signal` to the child, directly (no `kill` program needed).
fn send(child: &Child, signal: Signal) -> anyhow::Result<()> {
    let pid = i32::try_from(child.id())
        .ok()
        .and_then(Pid::from_raw)
        .context("not a process id")?;
    kill_process(pid, signal).with_context(|| format!("cannot send {signal:?} to process {pid:?}"))
}
