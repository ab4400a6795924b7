//! A table: a schema and the record batches that hold its rows.

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

/// pyarrow's `Table`: columns split into record batches that share one schema.
#[derive(Debug, Clone)]
pub struct Table {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

impl Table {
    /// A table of `batches`, which must all have `schema`.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self { schema, batches }
    }

    /// `table.num_rows`
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// `table.slice(0, n)`: the first `n` rows, as zero-copy slices.
    pub fn head(&self, n: usize) -> Table {
        let mut left = n;
        let mut batches = Vec::new();
        for batch in &self.batches {
            if left == 0 {
                break;
            }
            let take = left.min(batch.num_rows());
            batches.push(batch.slice(0, take));
            left -= take;
        }
        Table::new(self.schema.clone(), batches)
    }
}

/// The page's table has 1000 rows.
pub const PAGE_ROWS: usize = 1000;

/// Rows per record batch in the model answer. 65,536 rows of two int64
/// columns is 1 MiB: small enough to fit in one Flight message (the encoder's
/// default limit is 2 MiB), large enough that per-batch overhead does not matter.
pub const BATCH_ROWS: usize = 65_536;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::Float64Array;
    use arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    /// A table of one float column, in batches of the given sizes.
    fn table(batch_sizes: &[usize]) -> Table {
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Float64, false)]));
        let batches = batch_sizes
            .iter()
            .map(|&n| {
                let xs = Arc::new(Float64Array::from(vec![0.5; n]));
                RecordBatch::try_new(schema.clone(), vec![xs]).unwrap()
            })
            .collect();
        Table::new(schema, batches)
    }

    #[test]
    fn num_rows_adds_the_batches() {
        assert_eq!(table(&[3, 4]).num_rows(), 7);
        assert_eq!(table(&[]).num_rows(), 0);
    }

    #[test]
    fn head_takes_rows_across_batches() {
        let table = table(&[10, 10]);
        assert_eq!(table.head(3).num_rows(), 3);
        let across = table.head(14);
        assert_eq!(across.batches.len(), 2);
        assert_eq!(across.num_rows(), 14);
        assert_eq!(table.head(usize::MAX).num_rows(), 20);
    }
}
