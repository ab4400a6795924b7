//! Step 1: the page's in-memory table. Yours to write.
//!
//! ```python
//! self.table = pa.table({
//!     "id": list(range(1000)),
//!     "value": [i * 10 for i in range(1000)]
//! })
//! ```
//!
//! Fill in the two functions marked TODO(step 1), then check your work:
//!
//! ```text
//! cargo run -p step-01-build-table     # prints the schema, row count, first rows
//! cargo test -p step-01-build-table    # the self-check
//! cargo tutor hint 1                   # if you are stuck
//! ```
//!
//! The book's chapter "Step 1: Build the table" explains each piece.

use std::sync::Arc;

use arrow::datatypes::{Schema, SchemaRef};
use arrow::error::ArrowError;

// Given: a `Table` (schema + record batches, like pyarrow's) and printing in
// pyarrow's style. They are not this step's lesson.
pub use reference_table::{BATCH_ROWS, PAGE_ROWS, PyArrowSchema, Table};

// ANCHOR: schema
/// `id: int64`, `value: int64`.
pub fn schema() -> SchemaRef {
    // TODO(step 1): two fields, "id" and "value", both DataType::Int64 and
    // nullable (pyarrow makes fields from Python lists nullable).
    Arc::new(Schema::empty())
}
// ANCHOR_END: schema

// ANCHOR: build_table
/// The table with `num_rows` rows: `id` = 0..num_rows, `value` = id * 10.
pub fn build_table(num_rows: usize) -> Result<Table, ArrowError> {
    // TODO(step 1): build an Int64Array for each column, put them in a
    // RecordBatch with schema(), and return Table::new(schema(), batches).
    // One batch is fine; batches of BATCH_ROWS rows are better for big tables.
    let _ = num_rows;
    Ok(Table::new(schema(), Vec::new()))
}
// ANCHOR_END: build_table
