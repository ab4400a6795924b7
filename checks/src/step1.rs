//! Step 1: the table. `schema()` and `build_table(n)` are called directly:
//! `id` = 0..n and `value` = id * 10, two nullable int64 columns.

use std::process::ExitCode;

use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use kit::{PAGE_ROWS, Table};

use crate::table::{rows_problem, schema_problem};
use crate::{Check, Mistake, Outcome, self_check};

const LESSON: &str = "src/lib.rs";

/// The self-check of step 1, for the crate in `crate_dir` with these two functions.
pub fn check(
    crate_dir: &str,
    schema: fn() -> SchemaRef,
    build_table: fn(usize) -> Result<Table, ArrowError>,
) -> ExitCode {
    self_check(
        1,
        crate_dir,
        vec![
            Check::new("schema() is id: int64, value: int64", || {
                schema_is_the_page_schema(schema)
            }),
            Check::new("build_table(1000) is the page's table", || {
                table_has_rows(build_table, PAGE_ROWS)
            }),
            Check::new("build_table(0) is empty, with the schema", || {
                table_has_rows(build_table, 0)
            }),
            Check::new("build_table(200000) holds every row", || {
                table_has_rows(build_table, 200_000)
            }),
        ],
    )
}

fn schema_is_the_page_schema(schema: fn() -> SchemaRef) -> Outcome {
    match schema_problem(&schema()) {
        None => Ok(()),
        Some(problem) => Err(Mistake::new(LESSON, format!("schema(): {problem}"))),
    }
}

fn table_has_rows(build_table: fn(usize) -> Result<Table, ArrowError>, rows: usize) -> Outcome {
    let call = format!("build_table({rows})");
    let table = build_table(rows)
        .map_err(|e| Mistake::new(LESSON, format!("{call} returned an error: {e}")))?;
    if let Some(problem) = schema_problem(&table.schema) {
        return Err(Mistake::new(
            LESSON,
            format!("{call}: the table's schema is wrong: {problem}"),
        ));
    }
    if let Some(batch) = table.batches.iter().find(|b| b.schema() != table.schema) {
        return Err(Mistake::new(
            LESSON,
            format!(
                "{call}: a record batch has the schema {:?}, not the table's: build every batch with the table's schema",
                batch
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
            ),
        ));
    }
    if let Some(problem) = rows_problem(&table.batches, rows) {
        let got: usize = table.batches.iter().map(RecordBatch::num_rows).sum();
        let advice = match got {
            0 if rows > 0 => ": the table has no rows yet; fill the id and value columns",
            n if n + 1 == rows || n == rows + 1 => {
                ": one row off; Python's range(1000) is 0 to 999, Rust's 0..1000 too"
            }
            _ => "",
        };
        return Err(Mistake::new(LESSON, format!("{call}: {problem}{advice}")));
    }
    Ok(())
}
