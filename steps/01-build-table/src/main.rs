//! `cargo run -p step-01-build-table`: builds the page's table and shows
//! what is in it, as `print(table.schema)`, `table.num_rows` and
//! `table.slice(0, 5)` would in Python.

use std::process::ExitCode;

use anyhow::Context;
use arrow::util::pretty::pretty_format_batches;
use clap::Parser;
use kit::PyArrowSchema;
use kit::args::TableArgs;
use step_01_build_table::build_table;

fn main() -> ExitCode {
    kit::exit_code(run(TableArgs::parse()))
}

// ANCHOR: run
fn run(args: TableArgs) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;

    println!("{}", PyArrowSchema(&table.schema));
    println!("Rows: {}", table.num_rows());

    let first = table.head(args.show);
    let rows = pretty_format_batches(&first.batches).context("cannot format the rows")?;
    println!("First {} rows:\n{rows}", first.num_rows());
    Ok(())
}
// ANCHOR_END: run
