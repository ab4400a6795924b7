//! Step 1: the page's in-memory table.
//!
//! ```python
//! self.table = pa.table({
//!     "id": list(range(1000)),
//!     "value": [i * 10 for i in range(1000)]
//! })
//! ```
//!
//! A pyarrow `Table` is a schema plus a list of record batches ("chunks");
//! [`kit::Table`] holds exactly that.

use std::ops::Range;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use kit::{BATCH_ROWS, Table};

// ANCHOR: schema
/// `id: int64`, `value: int64`. Both nullable, as pyarrow infers them from
/// Python lists (a non-nullable field would print as `id: int64 not null`).
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        // ANCHOR: hint_field
        Field::new("id", DataType::Int64, true),
        // ANCHOR_END: hint_field
        Field::new("value", DataType::Int64, true),
    ]))
}
// ANCHOR_END: schema

// ANCHOR: build_table
/// Builds the table with `num_rows` rows: `id` = 0..num_rows, `value` = id * 10,
/// in batches of at most [`BATCH_ROWS`] rows.
pub fn build_table(num_rows: usize) -> Result<Table, ArrowError> {
    let schema = schema();
    let batches = (0..num_rows)
        .step_by(BATCH_ROWS)
        .map(|start| {
            let end = (start + BATCH_ROWS).min(num_rows);
            batch(schema.clone(), start as i64..end as i64)
        })
        .collect::<Result<_, _>>()?;
    Ok(Table::new(schema, batches))
}

/// One batch with its own buffers (not a slice of a bigger one), so each
/// batch is encoded and sent on its own.
fn batch(schema: SchemaRef, ids: Range<i64>) -> Result<RecordBatch, ArrowError> {
    // ANCHOR: hint_column
    let id: ArrayRef = Arc::new(Int64Array::from_iter_values(ids.clone()));
    // ANCHOR_END: hint_column
    let values = ids.map(|i| i * 10);
    let value: ArrayRef = Arc::new(Int64Array::from_iter_values(values));
    // ANCHOR: hint_batch
    RecordBatch::try_new(schema, vec![id, value])
    // ANCHOR_END: hint_batch
}
// ANCHOR_END: build_table

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::AsArray;
    use arrow::datatypes::Int64Type;
    use kit::{PAGE_ROWS, PyArrowSchema};

    fn column(table: &Table, name: &str) -> Vec<i64> {
        table
            .batches
            .iter()
            .flat_map(|b| b[name].as_primitive::<Int64Type>().values().to_vec())
            .collect()
    }

    #[test]
    fn the_page_table_has_1000_rows_of_id_and_ten_times_id() {
        let table = build_table(PAGE_ROWS).unwrap();
        assert_eq!(table.num_rows(), 1000);
        assert_eq!(column(&table, "id"), (0..1000).collect::<Vec<_>>());
        assert_eq!(
            column(&table, "value"),
            (0..1000).map(|i| i * 10).collect::<Vec<_>>()
        );
        assert!(table.batches.iter().all(|b| b.schema() == schema()));
    }

    #[test]
    fn large_tables_are_split_into_batches_of_batch_rows() {
        let table = build_table(2 * BATCH_ROWS + 5).unwrap();
        let sizes: Vec<_> = table.batches.iter().map(RecordBatch::num_rows).collect();
        assert_eq!(sizes, [BATCH_ROWS, BATCH_ROWS, 5]);
        assert!(
            column(&table, "id")
                .into_iter()
                .eq(0..(2 * BATCH_ROWS + 5) as i64)
        );
    }

    #[test]
    fn an_empty_table_has_the_schema_and_no_batches() {
        let table = build_table(0).unwrap();
        assert!(table.batches.is_empty());
        assert_eq!(table.schema, schema());
    }

    #[test]
    fn the_schema_prints_as_pyarrow_prints_it() {
        assert_eq!(
            PyArrowSchema(&schema()).to_string(),
            "id: int64\nvalue: int64"
        );
    }
}
