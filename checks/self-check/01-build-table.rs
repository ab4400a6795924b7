//! The self-check of step 1, run by `cargo test -p step-01-build-table` and
//! by `cargo test -p solution-01-build-table`: the same file for both.

use std::path::Path;

#[test]
fn the_schema_is_id_and_value() {
    checks::step1::schema_is_id_and_value(page_table::schema());
}

#[test]
fn the_table_has_the_page_rows() {
    checks::step1::table_has_the_page_rows(|rows| {
        page_table::build_table(rows).map(|table| table.batches)
    });
}

#[test]
fn cargo_run_prints_schema_and_rows() {
    let binary = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));
    checks::step1::binary_prints_schema_and_rows(Path::new(binary));
}
