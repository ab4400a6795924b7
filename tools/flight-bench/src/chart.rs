//! The results as a Markdown table and a bar chart (SVG), for the book.
//!
//! Both show the same rows, in the same order, with the same names. The
//! book inlines the SVG in the page, so that its text takes the colour of
//! the page's text (`currentColor`) in every mdBook theme, light or dark;
//! its bars have colours that read on both.

use crate::report::{Report, whole};

/// `rust->rust`, never broken after its `-` at the end of a line (other
/// names may wrap at their spaces).
fn nowrap(text: &str) -> String {
    match text.contains("->") {
        true => format!("<span style=\"white-space: nowrap\">{text}</span>"),
        false => text.to_string(),
    }
}

/// The figures as two Markdown tables, throughput and costs, and what they mean.
pub fn markdown(report: &Report) -> String {
    let transfer = format!("transfer ({})", nowrap("server->client"));
    let mut out = format!(
        "| {transfer} | median ms | min ms | max ms | MB/s | {} clients MB/s | \
         {} rows p50 µs | {} rows p99 µs |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
        report.clients_at_once, report.round_trip_rows, report.round_trip_rows
    );
    for row in report.rows() {
        let ms = |f: fn(&crate::stats::Stats) -> std::time::Duration| {
            row.stats.map_or(String::new(), |s| {
                format!("{:.1}", f(s).as_secs_f64() * 1e3)
            })
        };
        let mb_per_s = row
            .mb_per_s
            .map_or("not installed".to_string(), |v| format!("{v:.0}"));
        let (clients, p50, p99) = match row.limit {
            true => (String::new(), String::new(), String::new()),
            false => (
                whole(row.clients_mb_per_s),
                whole(row.round_trip.map(|r| r.p50.as_secs_f64() * 1e6)),
                whole(row.round_trip.map(|r| r.p99.as_secs_f64() * 1e6)),
            ),
        };
        out += &format!(
            "| {} | {} | {} | {} | {mb_per_s} | {clients} | {p50} | {p99} |\n",
            nowrap(row.long_name),
            ms(|s| s.median),
            ms(|s| s.min),
            ms(|s| s.max),
        );
    }
    out += &format!(
        "\n| {transfer} | server CPU s/GB | client CPU s/GB | server faults/fetch | \
         client faults/fetch | server peak RSS | client peak RSS |\n\
         |---|---:|---:|---:|---:|---:|---:|\n"
    );
    for m in &report.measured {
        let cells = report.cost_cells(m).join(" | ");
        out += &format!("| {} | {cells} |\n", nowrap(&m.name));
    }
    out + "\n" + &report.legend() + "\n"
}

const WIDTH: f64 = 720.0;
/// The names' column: the longest name at about 7 pixels a character.
const LABEL: f64 = 210.0;
/// Room for the figure after the longest bar ("12345 (4 clients)").
const FIGURE: f64 = 120.0;
/// A row with one bar.
const BAR: f64 = 26.0;
/// The thinner bar under a pair's: its clients at once.
const CLIENTS_BAR: f64 = 14.0;
const TOP: f64 = 46.0;

/// Our server and client: the orange of the page's Arm (and Rust's) brand,
/// which reads on white and on the dark themes alike.
const OURS: &str = "#e8630a";
/// The other Flight transfers: a blue that reads on both too.
const OTHERS: &str = "#3d87d6";
/// The machine's limits, for scale: a mid grey, visible on both.
const LIMITS: &str = "#8f959e";

/// MB/s at the median, one bar per row of the throughput table, as
/// horizontal bars; under each pair's, a thinner, paler one for its clients
/// reading at once.
pub fn svg(report: &Report) -> String {
    let rows = report.rows();
    let top = rows
        .iter()
        .flat_map(|row| [row.mb_per_s, row.clients_mb_per_s])
        .flatten()
        .fold(1.0, f64::max);
    let length = |value: f64| ((WIDTH - LABEL - FIGURE) * value / top).max(1.0);
    let height = TOP
        + rows
            .iter()
            .map(|row| BAR + row.clients_mb_per_s.map_or(0.0, |_| CLIENTS_BAR))
            .sum::<f64>()
        + 8.0;
    let clients = report.clients_at_once;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         style=\"display: block; margin: 1em 0; max-width: 100%; height: auto\" \
         font-family=\"sans-serif\" font-size=\"13\" fill=\"currentColor\">\n\
         <title>MB/s per transfer, {} rows, median of {} runs, and with {clients} clients at once</title>\n\
         <text x=\"{LABEL}\" y=\"16\">\
         MB/s (higher is faster), {} rows, median of {} runs</text>\n\
         <text x=\"{LABEL}\" y=\"34\" font-size=\"11\">\
         thin bars: {clients} clients at once, all together</text>\n",
        report.rows, report.runs, report.rows, report.runs
    );
    let mut y = TOP;
    for row in &rows {
        let colour = match (row.limit, row.name) {
            (true, _) => LIMITS,
            (false, "rust->rust" | "lesson->lesson") => OURS,
            (false, _) => OTHERS,
        };
        svg += &format!(
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>\n",
            LABEL - 8.0,
            y + 16.0,
            escape(row.long_name)
        );
        match row.mb_per_s {
            Some(value) => {
                let length = length(value);
                svg += &format!(
                    "<rect x=\"{LABEL}\" y=\"{:.0}\" width=\"{length:.0}\" height=\"{:.0}\" fill=\"{colour}\"/>\n\
                     <text x=\"{:.0}\" y=\"{:.0}\">{value:.0}</text>\n",
                    y + 3.0,
                    BAR - 6.0,
                    LABEL + length + 6.0,
                    y + 16.0
                );
            }
            None => {
                svg += &format!(
                    "<text x=\"{LABEL}\" y=\"{:.0}\">not installed</text>\n",
                    y + 16.0
                );
            }
        }
        y += BAR;
        if let Some(value) = row.clients_mb_per_s {
            let length = length(value);
            svg += &format!(
                "<rect x=\"{LABEL}\" y=\"{:.0}\" width=\"{length:.0}\" height=\"{:.0}\" \
                 fill=\"{colour}\" fill-opacity=\"0.5\"/>\n\
                 <text x=\"{:.0}\" y=\"{:.0}\" font-size=\"11\">{value:.0} ({clients} clients)</text>\n",
                y - 2.0,
                CLIENTS_BAR - 4.0,
                LABEL + length + 6.0,
                y + 7.0
            );
            y += CLIENTS_BAR;
        }
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
    use super::*;
    use crate::report::tests::report;

    /// The rows of the first Markdown table (after its header and rule).
    fn throughput_rows(markdown: &str) -> Vec<&str> {
        markdown
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .collect()
    }

    #[test]
    fn the_chart_has_a_bar_for_every_figure_of_the_table() {
        let mut report = report(true);
        let table = markdown(&report);
        let rows = throughput_rows(&table);
        // 5 pairs with two bars each, loopback tcp, memcpy and iperf3 with one.
        assert_eq!(rows.len(), 8, "{table}");
        let svg = svg(&report);
        assert_eq!(svg.matches("<rect ").count(), 5 * 2 + 3, "{svg}");
        for name in [
            "rust-&gt;rust",
            "lesson-&gt;lesson",
            "pyarrow-&gt;pyarrow",
            "loopback tcp",
            "memcpy",
            "iperf3",
        ] {
            assert!(svg.contains(&format!(">{name}")), "{name}: {svg}");
        }
        report.iperf3 = None;
        let without = super::svg(&report);
        assert_eq!(without.matches("<rect ").count(), 5 * 2 + 2, "{without}");
        assert!(without.contains(">not installed<"), "{without}");
        assert!(markdown(&report).contains("| not installed |"));
    }

    #[test]
    fn the_chart_text_takes_the_page_colour() {
        let svg = svg(&report(true));
        assert!(svg.starts_with("<svg ") && svg.contains("fill=\"currentColor\""));
        assert!(
            !svg.contains("\n\n"),
            "a blank line would end mdBook's HTML block"
        );
    }

    #[test]
    fn arrows_in_the_table_never_break() {
        let table = markdown(&report(true));
        assert!(!table.contains("| rust->rust |"), "{table}");
        assert!(table.contains(&nowrap("rust->rust")), "{table}");
    }

    #[test]
    fn the_markdown_tables_have_every_column_in_every_row() {
        let table = markdown(&report(true));
        let tables: Vec<&str> = table.split("\n\n").collect();
        assert_eq!(tables.len(), 3, "two tables and the legend: {table}");
        for part in &tables[..2] {
            let columns = part.lines().next().unwrap().matches('|').count();
            for line in part.lines() {
                assert_eq!(line.matches('|').count(), columns, "{line}");
            }
        }
        assert!(tables[1].contains("| 180 MiB | 1024 MiB |"), "{table}");
        assert!(tables[0].contains("| 250 | 1234 |"), "{table}");
    }
}
