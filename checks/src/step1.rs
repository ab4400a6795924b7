//! Step 1: the table. `id` = 0..1000 and `value` = id * 10, both int64.

use std::path::Path;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Int64Type, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use page_table::PyArrowSchema;

use crate::fail;

/// The schema is `id: int64`, `value: int64`, both nullable, as in pyarrow.
pub fn schema_is_id_and_value(schema: SchemaRef) {
    let printed = PyArrowSchema(&schema).to_string();
    let expected = "id: int64\nvalue: int64";
    if printed != expected {
        let names: Vec<_> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        fail(
            1,
            &format!(
                "schema() has {} field(s) {names:?}; expected 2 nullable int64 fields, \"id\" and \"value\".\n  \
                 printed as pyarrow would, it reads {printed:?} instead of {expected:?}",
                names.len()
            ),
        );
    }
}

/// `build_table(n)` gives `n` rows of `id` = 0..n and `value` = id * 10.
/// It is passed as returning the table's batches, so that any crate's
/// `Table` type will do.
pub fn table_has_the_page_rows(
    build_table: impl Fn(usize) -> Result<Vec<RecordBatch>, ArrowError>,
) {
    for rows in [1000, 0, 100_000] {
        let batches = build_table(rows)
            .unwrap_or_else(|e| fail(1, &format!("build_table({rows}) returned an error: {e}")));
        check_rows(&batches, rows);
    }
}

/// The checks on a table's contents, shared with step 2 (what a client receives).
pub fn check_rows(batches: &[RecordBatch], rows: usize) {
    let got: usize = batches.iter().map(RecordBatch::num_rows).sum();
    if got != rows {
        fail(
            1,
            &format!("expected {rows} rows, got {got}: did you fill the id and value columns?"),
        );
    }
    let mut next = 0i64;
    for batch in batches {
        if batch.schema() != page_table::schema() {
            fail(
                1,
                "every record batch must have the schema: id: int64, value: int64",
            );
        }
        let (Some(ids), Some(values)) = (int64_column(batch, "id"), int64_column(batch, "value"))
        else {
            fail(
                1,
                "each batch needs two int64 columns, \"id\" and \"value\"",
            );
        };
        for row in 0..batch.num_rows() {
            let (id, value) = (ids.value(row), values.value(row));
            if ids.is_null(row) || values.is_null(row) || id != next || value != next * 10 {
                fail(
                    1,
                    &format!(
                        "row {next} should be id {next}, value {}; it is id {id}, value {value}",
                        next * 10
                    ),
                );
            }
            next += 1;
        }
    }
}

fn int64_column<'a>(
    batch: &'a RecordBatch,
    name: &str,
) -> Option<&'a arrow::array::PrimitiveArray<Int64Type>> {
    let column = batch.column_by_name(name)?;
    (column.data_type() == &DataType::Int64).then(|| column.as_primitive::<Int64Type>())
}

/// The binary prints the schema and row count first, as the page's client will.
pub fn binary_prints_schema_and_rows(binary: &Path) {
    let output = harness::run(binary, &[]).expect("the step's binary runs");
    let expected = "id: int64\nvalue: int64\nRows: 1000\n";
    if output.code != Some(0) || !output.stdout.starts_with(expected) {
        fail(
            1,
            &format!(
                "`cargo run` should start with {expected:?}; it printed:\n{}",
                output.transcript()
            ),
        );
    }
}
