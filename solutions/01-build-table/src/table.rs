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

#[cfg(test)]
mod tests {
    use crate::{BATCH_ROWS, build_table};

    #[test]
    fn head_takes_rows_across_batches() {
        let table = build_table(BATCH_ROWS + 10).unwrap();
        assert_eq!(table.head(3).num_rows(), 3);
        let across = table.head(BATCH_ROWS + 4);
        assert_eq!(across.batches.len(), 2);
        assert_eq!(across.num_rows(), BATCH_ROWS + 4);
        assert_eq!(table.head(usize::MAX).num_rows(), BATCH_ROWS + 10);
    }
}
