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
    // TODO(step 1): the schema pyarrow infers from the page's dict of Python
    // lists: one field per key, in order; Python ints become 64-bit integers;
    // and a field made from a Python list may hold nulls (pyarrow prints a
    // field that may not as `id: int64 not null`).
    // Docs: https://docs.rs/arrow-schema/60.1.0/arrow_schema/struct.Schema.html
    //       https://docs.rs/arrow-schema/60.1.0/arrow_schema/struct.Field.html
    Arc::new(Schema::empty())
}
// ANCHOR_END: schema

// ANCHOR: build_table
/// The page's table with `num_rows` rows: `id` = 0..num_rows, `value` = id * 10.
pub fn build_table(num_rows: usize) -> Result<Table, ArrowError> {
    // TODO(step 1): the page's `pa.table({...})`, for any number of rows (0
    // and 200,000 too). A pyarrow table is a schema and a list of record
    // batches, each batch a set of equally long columns: kit::Table is the
    // same. One batch works; for big tables, batches of kit::BATCH_ROWS rows
    // are a good size (in step 2 each then fits in a single Flight message).
    // Docs: https://docs.rs/arrow-array/60.1.0/arrow_array/type.Int64Array.html
    //       https://docs.rs/arrow-array/60.1.0/arrow_array/struct.RecordBatch.html
    let _ = num_rows;
    Ok(Table::new(schema(), Vec::new()))
}
// ANCHOR_END: build_table
