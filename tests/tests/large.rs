//! Ten million rows (160 MB) from our server to our client: no gRPC message
//! size limit in the way, every value intact. One transfer: the client
//! binary's `run` is this same `connect` and `read_table`, and its printing
//! is pinned by the page's own 1000-row output (page.rs); the other 10M-row
//! transfers are of other pairs (pyarrow's, in python_interop.rs) or of a
//! client leaving mid-stream (load.rs).

use arrow::array::AsArray;
use arrow::datatypes::Int64Type;
use flight_client::{connect, read_table};
use flight_path_tests::{start_server, url};

const ROWS: usize = 10_000_000;

#[tokio::test]
async fn ten_million_rows_arrive_intact() {
    let server = start_server(&["--rows", &ROWS.to_string()]);
    let mut client = connect(&url(server.port)).await.expect("connect");
    let table = read_table(&mut client, "dataset")
        .await
        .expect("read the table");

    assert_eq!(table.num_rows(), ROWS);
    let mut next_id = 0;
    let mut value_sum: i64 = 0;
    for batch in &table.batches {
        let ids = batch["id"].as_primitive::<Int64Type>().values();
        let values = batch["value"].as_primitive::<Int64Type>().values();
        assert!(ids.iter().copied().eq(next_id..next_id + ids.len() as i64));
        next_id += ids.len() as i64;
        value_sum += values.iter().sum::<i64>();
    }
    let n = ROWS as i64;
    assert_eq!(value_sum, 10 * n * (n - 1) / 2);
}
