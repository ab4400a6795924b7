//! The few colours the tutor uses. They are written through `anstream`,
//! which drops them when the output is not a terminal or NO_COLOR is set.

use anstyle::{AnsiColor, Color, Style};

const fn colour(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(colour)))
}

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const GOOD: Style = colour(AnsiColor::Green);
pub const BAD: Style = colour(AnsiColor::Red);
pub const HUNK: Style = colour(AnsiColor::Cyan);
pub const ERROR: Style = colour(AnsiColor::Red).bold();
