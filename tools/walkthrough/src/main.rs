//! `cargo run -p walkthrough`: the whole page, end to end, on the reference
//! solutions. Each section of the page becomes a heading, followed by the
//! command a learner would type and what it printed.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use harness::{Binaries, Output, Progress, Server, build, run};

/// Run the learning path's page end to end: build the table, start the Flight
/// server, verify its port, read the table with the client, stop the server.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Port for the server: the page's 8815, or 0 for any free port.
    #[arg(long, default_value_t = 8815)]
    port: u16,
    /// Address the server listens on (the page uses 0.0.0.0).
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
}

// Not kit::exit_code: the walkthrough only runs the solutions' programs, and
// depending on the kit would make it compile the Arrow stack for one match.
fn main() -> ExitCode {
    match walk(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn walk(args: &Args) -> anyhow::Result<()> {
    eprintln!("Building the reference solutions (the first build takes a few minutes)...");
    let bins = build(Progress::Show)?;

    section("Step 1: the in-memory Arrow table (from flight_server.py)");
    show(&bins, "solution-01-build-table", &[])?;

    section("Start Arrow Flight Server (Same Machine)");
    let port = args.port.to_string();
    let server_args = server_args(args, &port);
    println!("$ {}", cargo_run("solution-02-server", &server_args));
    let server = Server::start(bins.path("solution-02-server")?, &server_args)
        .context("the server did not start")?;
    print!("{}", server.ready_line);
    let port = server.port.to_string();

    section("Verify server is running");
    let port_args = if server.port == 8815 {
        vec![]
    } else {
        vec!["--port", &port]
    };
    show(&bins, "solution-03-verify-port", &port_args)?;

    section("Connect Using Arrow Flight Client (Same VM)");
    let url = format!("grpc://127.0.0.1:{port}");
    let url_args = if server.port == 8815 {
        vec![]
    } else {
        vec!["--url", url.as_str()]
    };
    show(&bins, "solution-04-client", &url_args)?;

    section("Stop the server (Ctrl-C in its terminal)");
    // What Ctrl-C sends: SIGINT.
    let stopped = server.interrupt()?;
    print!("{}", stopped.stderr);
    if stopped.code != Some(0) {
        bail!("the server did not stop cleanly:\n{}", stopped.transcript());
    }
    println!("The server stopped cleanly. That is the whole page, in Rust.");
    Ok(())
}

/// The server's flags, only those that differ from its defaults.
fn server_args<'a>(args: &'a Args, port: &'a str) -> Vec<&'a str> {
    let mut flags = Vec::new();
    if args.host != "0.0.0.0" {
        flags.extend(["--host", args.host.as_str()]);
    }
    if args.port != 8815 {
        flags.extend(["--port", port]);
    }
    flags
}

fn section(title: &str) {
    println!("\n## {title}\n");
}

/// `cargo run -p NAME -- ARGS`, as a learner would type it.
fn cargo_run(package: &str, args: &[&str]) -> String {
    match args {
        [] => format!("cargo run -p {package}"),
        args => format!("cargo run -p {package} -- {}", args.join(" ")),
    }
}

/// Runs one step, shows its command and output; fails if the step failed.
fn show(bins: &Binaries, package: &str, args: &[&str]) -> anyhow::Result<Output> {
    println!("$ {}", cargo_run(package, args));
    let output = run(bins.path(package)?, args)?;
    print!("{}", output.stdout);
    if output.code != Some(0) {
        bail!("{package} failed: {}", output.stderr.trim_end());
    }
    Ok(output)
}
