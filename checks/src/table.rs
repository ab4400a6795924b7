//! What the page's table must hold: `id` = 0..n and `value` = id * 10, two
//! nullable int64 columns. Compared field by field and row by row, so that a
//! mistake is described, not just detected.

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Int64Type, Schema};
use arrow::record_batch::RecordBatch;
use kit::PyArrowSchema;

/// The schema as pyarrow prints the page's: `print(table.schema)`.
pub const PAGE_SCHEMA: &str = "id: int64\nvalue: int64";

/// What is wrong with `schema`, if anything, in the page's terms.
pub fn schema_problem(schema: &Schema) -> Option<String> {
    let printed = PyArrowSchema(schema).to_string();
    if printed == PAGE_SCHEMA {
        return None;
    }
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let why = if names != ["id", "value"] {
        format!("the fields are {names:?}; the page's table has two, \"id\" then \"value\"")
    } else if let Some(field) = schema
        .fields()
        .iter()
        .find(|f| f.data_type() != &DataType::Int64)
    {
        format!(
            "\"{}\" is {}; the page's columns are int64 (Python ints become int64)",
            field.name(),
            field.data_type()
        )
    } else {
        "a field is `not null`; pyarrow makes the fields of a table built from Python lists nullable".to_string()
    };
    Some(format!(
        "{why}.\nprinted as pyarrow prints it, the schema reads:\n{}\ninstead of:\n{}",
        indent(&printed),
        indent(PAGE_SCHEMA)
    ))
}

/// What is wrong with the rows of `batches`, if anything: their count, then
/// the first row that is not `id` = i, `value` = i * 10.
pub fn rows_problem(batches: &[RecordBatch], rows: usize) -> Option<String> {
    let got: usize = batches.iter().map(RecordBatch::num_rows).sum();
    if got != rows {
        return Some(format!("{got} rows instead of {rows}"));
    }
    let mut next = 0i64;
    for batch in batches {
        let (Some(ids), Some(values)) = (int64_column(batch, "id"), int64_column(batch, "value"))
        else {
            return Some("a record batch lacks the int64 columns \"id\" and \"value\"".into());
        };
        for row in 0..batch.num_rows() {
            if ids.is_null(row) || values.is_null(row) {
                return Some(format!(
                    "row {next} has a null; every row has an id and a value"
                ));
            }
            let (id, value) = (ids.value(row), values.value(row));
            if id != next || value != next * 10 {
                return Some(format!(
                    "row {next} is id {id}, value {value}; it should be id {next}, value {}",
                    next * 10
                ));
            }
            next += 1;
        }
    }
    None
}

fn int64_column<'a>(
    batch: &'a RecordBatch,
    name: &str,
) -> Option<&'a arrow::array::PrimitiveArray<Int64Type>> {
    let column = batch.column_by_name(name)?;
    (column.data_type() == &DataType::Int64).then(|| column.as_primitive::<Int64Type>())
}

/// Indents every line by four spaces, for text quoted in a message.
pub fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
