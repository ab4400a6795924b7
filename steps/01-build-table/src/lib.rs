//! Step 1: the page's in-memory table. Yours to write.
//!
//! ```python
//! self.table = pa.table({
//!     "id": list(range(1000)),
//!     "value": [i * 10 for i in range(1000)]
//! })
//! ```
//!
//! Write the two functions marked TODO(step 1), then:
//!
//! ```text
//! cargo run -p step-01-build-table     # prints the schema, row count, first rows
//! cargo test -p step-01-build-table    # the self-check: what is right, what to fix
//! cargo tutor hint 1                   # hints, one at a time, if you are stuck
//! ```
//!
//! The book's chapter "Step 1: Build the table" explains the pieces.

use std::sync::Arc;

use arrow::datatypes::{Schema, SchemaRef};
use arrow::error::ArrowError;
use kit::Table;

// ANCHOR: schema
/// `id: int64`, `value: int64`: the schema pyarrow gives the page's table.
pub fn schema() -> SchemaRef {
    // TODO(step 1): the schema pyarrow gives the page's table, the one the
    // page's client prints: `id: int64`, `value: int64`.
    // Docs: https://docs.rs/arrow-schema/60.1.0/arrow_schema/struct.Schema.html
    //       https://docs.rs/arrow-schema/60.1.0/arrow_schema/struct.Field.html
    Arc::new(Schema::empty())
}
// ANCHOR_END: schema

// ANCHOR: build_table
/// The page's table with `num_rows` rows: `id` = 0..num_rows, `value` = id * 10.
pub fn build_table(num_rows: usize) -> Result<Table, ArrowError> {
    // TODO(step 1): the page's `pa.table({...})`, with `num_rows` rows
    // instead of 1000: a schema and record batches of columns (kit::Table).
    // Docs: https://docs.rs/arrow-array/60.1.0/arrow_array/type.Int64Array.html
    //       https://docs.rs/arrow-array/60.1.0/arrow_array/struct.RecordBatch.html
    let _ = num_rows;
    Ok(Table::new(schema(), Vec::new()))
}
// ANCHOR_END: build_table
