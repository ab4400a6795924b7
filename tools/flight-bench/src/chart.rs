//! The results as a Markdown table and a bar chart (SVG), for the book.
//!
//! Both show the same rows, in the same order, with the same names. The
//! book inlines the SVG in the page, so that its text takes the colour of
//! the page's text (`currentColor`) in every mdBook theme, light or dark;
//! its bars have colours that read on both.

use crate::report::Report;
use crate::stats::Stats;

/// One row of the table, one bar of the chart.
struct Row<'a> {
    name: &'a str,
    stats: &'a Stats,
    client_peak_rss: Option<u64>,
    server_peak_rss: Option<u64>,
    /// The machine's own limits, for scale, rather than a Flight transfer.
    limit: bool,
}

fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut rows: Vec<Row> = report
        .measured
        .iter()
        .map(|m| Row {
            name: &m.name,
            stats: &m.stats,
            client_peak_rss: m.client_peak_rss,
            server_peak_rss: m.server_peak_rss,
            limit: false,
        })
        .collect();
    for (name, stats) in [
        ("loopback tcp (plain sockets)", &report.tcp),
        ("memcpy", &report.memcpy),
    ] {
        rows.push(Row {
            name,
            stats,
            client_peak_rss: None,
            server_peak_rss: None,
            limit: true,
        });
    }
    rows
}

/// `rust->rust`, never broken after its `-` at the end of a line (other
/// names may wrap at their spaces).
fn nowrap(text: &str) -> String {
    match text.contains("->") {
        true => format!("<span style=\"white-space: nowrap\">{text}</span>"),
        false => text.to_string(),
    }
}

/// The figures as a Markdown table.
pub fn markdown(report: &Report) -> String {
    let mib = |b: Option<u64>| {
        b.map_or("n/a".to_string(), |b| {
            format!("{:.0} MiB", b as f64 / 1048576.0)
        })
    };
    let mut out = format!(
        "| transfer ({}) | median ms | min ms | max ms | MB/s | client peak RSS | server peak RSS |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
        nowrap("server->client")
    );
    for row in rows(report) {
        let s = row.stats;
        out += &format!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {} |\n",
            nowrap(row.name),
            s.median.as_secs_f64() * 1e3,
            s.min.as_secs_f64() * 1e3,
            s.max.as_secs_f64() * 1e3,
            s.mb_per_s(report.bytes),
            mib(row.client_peak_rss),
            mib(row.server_peak_rss)
        );
    }
    out
}

const WIDTH: f64 = 720.0;
/// The names' column: the longest name at about 7 pixels a character.
const LABEL: f64 = 210.0;
/// Room for the figure after the longest bar.
const FIGURE: f64 = 60.0;
const BAR: f64 = 26.0;
const TOP: f64 = 28.0;

/// Our server and client: the orange of the page's Arm (and Rust's) brand,
/// which reads on white and on the dark themes alike.
const OURS: &str = "#e8630a";
/// The other Flight transfers: a blue that reads on both too.
const OTHERS: &str = "#3d87d6";
/// The machine's limits, for scale: a mid grey, visible on both.
const LIMITS: &str = "#8f959e";

/// MB/s at the median, one bar per row of the table, as horizontal bars.
pub fn svg(report: &Report) -> String {
    let rows = rows(report);
    let top = rows
        .iter()
        .map(|row| row.stats.mb_per_s(report.bytes))
        .fold(1.0, f64::max);
    let height = TOP + BAR * rows.len() as f64 + 8.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         style=\"display: block; margin: 1em 0; max-width: 100%; height: auto\" \
         font-family=\"sans-serif\" font-size=\"13\" fill=\"currentColor\">\n\
         <title>MB/s per transfer, {} rows, median of {} runs</title>\n\
         <text x=\"{LABEL}\" y=\"16\">\
         MB/s (higher is faster), {} rows, median of {} runs</text>\n",
        report.rows, report.runs, report.rows, report.runs
    );
    for (i, row) in rows.iter().enumerate() {
        let value = row.stats.mb_per_s(report.bytes);
        let y = TOP + BAR * i as f64;
        let length = ((WIDTH - LABEL - FIGURE) * value / top).max(1.0);
        let colour = match (row.limit, row.name) {
            (true, _) => LIMITS,
            (false, "rust->rust") => OURS,
            (false, _) => OTHERS,
        };
        svg += &format!(
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>\n\
             <rect x=\"{LABEL}\" y=\"{:.0}\" width=\"{length:.0}\" height=\"{:.0}\" fill=\"{colour}\"/>\n\
             <text x=\"{:.0}\" y=\"{:.0}\">{value:.0}</text>\n",
            LABEL - 8.0,
            y + 16.0,
            escape(row.name),
            y + 3.0,
            BAR - 6.0,
            LABEL + length + 6.0,
            y + 16.0
        );
    }
    svg + "</svg>\n"
}

/// Text for XML: `rust->rust` is fine as it is, but a name is a name.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::report::Measured;

    fn report() -> Report {
        let stats = |ms| Stats::of(vec![Duration::from_millis(ms)]);
        let pair = |name: &str, ms| Measured {
            name: name.into(),
            stats: stats(ms),
            client_peak_rss: Some(100 << 20),
            server_peak_rss: None,
        };
        Report {
            rows: 10_000_000,
            runs: 7,
            bytes: 160_000_000,
            measured: vec![pair("rust->rust", 100), pair("pyarrow->pyarrow", 200)],
            tcp: stats(50),
            memcpy: stats(10),
            pyarrow_version: None,
        }
    }

    #[test]
    fn the_chart_has_a_bar_for_every_row_of_the_table() {
        let report = report();
        let table_rows = markdown(&report).lines().count() - 2;
        let svg = svg(&report);
        assert_eq!(svg.matches("<rect ").count(), table_rows, "{svg}");
        for name in [
            "rust-&gt;rust",
            "pyarrow-&gt;pyarrow",
            "loopback tcp",
            "memcpy",
        ] {
            assert!(svg.contains(&format!(">{name}")), "{name}: {svg}");
        }
    }

    #[test]
    fn the_chart_text_takes_the_page_colour() {
        let svg = svg(&report());
        assert!(svg.starts_with("<svg ") && svg.contains("fill=\"currentColor\""));
        assert!(
            !svg.contains("\n\n"),
            "a blank line would end mdBook's HTML block"
        );
    }

    #[test]
    fn arrows_in_the_table_never_break() {
        let table = markdown(&report());
        assert!(!table.contains("| rust->rust |"), "{table}");
        assert!(table.contains(&nowrap("rust->rust")), "{table}");
    }
}
