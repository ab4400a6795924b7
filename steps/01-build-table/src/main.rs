//! `cargo run -p solution-01-build-table`: builds the page's table and shows
//! what is in it, as `print(table.schema)`, `table.num_rows` and
//! `table.slice(0, 5)` would in Python.

use std::process::ExitCode;

use anyhow::Context;
use arrow::util::pretty::pretty_format_batches;
use clap::Parser;
use page_table::{PAGE_ROWS, PyArrowSchema, build_table};

/// Build the page's in-memory Arrow table and print its schema, row count and first rows.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// How many rows to build (the page's table has 1000).
    #[arg(long, default_value_t = PAGE_ROWS)]
    rows: usize,
    /// How many of the first rows to show.
    #[arg(long, default_value_t = 5)]
    show: usize,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
fn run(args: Args) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;

    println!("{}", PyArrowSchema(&table.schema));
    println!("Rows: {}", table.num_rows());

    let first = table.head(args.show);
    let rows = pretty_format_batches(&first.batches).context("cannot format the rows")?;
    println!("First {} rows:\n{rows}", first.num_rows());
    Ok(())
}
// ANCHOR_END: run
