//! `cargo run -p solution-04-client`: the page's `flight_client.py`.
//!
//! ```python
//! print(table.schema)
//! print("Rows:", table.num_rows)
//! ```

use std::process::ExitCode;

use clap::Parser;
use flight_client::{DEFAULT_URL, connect, read_table};
use page_table::PyArrowSchema;

/// Read the table from an Arrow Flight server and print its schema and row count.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = DEFAULT_URL)]
    url: String,
    /// Which data to ask for.
    #[arg(long, default_value = "dataset")]
    ticket: String,
}

// One stream at a time: a single-threaded runtime is all a client needs, and
// it saves handing every message from thread to thread.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let mut client = connect(&args.url).await?;
    let table = read_table(&mut client, &args.ticket).await?;

    println!("{}", PyArrowSchema(&table.schema));
    println!("Rows: {}", table.num_rows());
    Ok(())
}
// ANCHOR_END: run
