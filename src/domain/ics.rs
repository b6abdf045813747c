//! A calendar of all-day events in iCalendar (RFC 5545), for the lawyer's agenda feed.
//!
//! Written by hand: no iCalendar crate is kept in the tree or offered by the package lists
//! this project may draw from, and the part we need is small — one VCALENDAR of all-day
//! VEVENTs, with the format's three rules applied here: CRLF line ends (3.1), lines folded at
//! 75 octets without splitting a UTF-8 character (3.1), and TEXT values escaped (3.3.11).

use chrono::{NaiveDate, NaiveDateTime};

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllDayEvent {
    /// Stable across fetches, so a calendar application updates the event instead of
    /// adding a copy (RFC 5545 3.8.4.7).
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
    /// A link to the event's page (a URI value: not escaped as TEXT).
    pub url: Option<String>,
}

/// The calendar's text: `name` is its display name (`X-WR-CALNAME`, read by the common
/// applications), `stamp` the time the feed is produced (UTC), every event's `DTSTAMP`.
pub fn calendar(name: &str, stamp: NaiveDateTime, events: &[AllDayEvent]) -> String {
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Recouvra//Agenda//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", escape_text(&e.uid)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")));
        // DTEND is exclusive (3.6.1): the next day makes a one-day event.
        if let Some(next) = e.date.succ_opt() {
            lines.push(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        }
        lines.push(format!("SUMMARY:{}", escape_text(&e.summary)));
        lines.push(format!("DESCRIPTION:{}", escape_text(&e.description)));
        if let Some(url) = &e.url {
            lines.push(format!("URL:{url}"));
        }
        // A deadline is a reminder, not a meeting: it does not make the lawyer busy.
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        out.push_str(&fold(l));
        out.push_str("\r\n");
    }
    out
}

/// A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma, and line breaks as
/// `\n` (a CR alone or before LF is dropped).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            // Other control characters are not allowed in TEXT (3.3.11: TSAFE-CHAR).
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded (RFC 5545 3.1): at most 75 octets per line, each continuation
/// starting with one space (which counts), never inside a UTF-8 character. Without the CRLF.
pub fn fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / MAX * 3);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_escape_backslashes_separators_and_line_breaks() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(
            escape_text("Échéance : L'ordonnance"),
            "Échéance : L'ordonnance"
        );
    }

    #[test]
    fn a_line_of_75_octets_stays_whole_and_a_longer_one_folds() {
        let exact = "x".repeat(75);
        assert_eq!(fold(&exact), exact);
        let long = "x".repeat(160);
        let folded = fold(&long);
        let parts: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].len(), 75);
        assert_eq!(parts[1].len(), 75);
        assert!(parts[1].starts_with(' '));
        assert_eq!(parts[2], format!(" {}", "x".repeat(160 - 75 - 74)));
    }

    #[test]
    fn folding_never_splits_a_multi_octet_character() {
        // 74 ASCII octets, then « é » (2 octets) would end at 76: it starts the next line.
        let line = format!("{}é", "a".repeat(74));
        assert_eq!(fold(&line), format!("{}\r\n é", "a".repeat(74)));
        for n in 0..200 {
            let line = format!("{}{}", "b".repeat(n % 7), "é€".repeat(n));
            for part in fold(&line).split("\r\n") {
                assert!(part.len() <= 75, "{part}");
            }
            let unfolded = fold(&line).replace("\r\n ", "");
            assert_eq!(unfolded, line);
        }
    }

    #[test]
    fn a_calendar_has_crlf_lines_and_one_event_per_deadline() {
        let stamp = NaiveDate::from_ymd_opt(2026, 3, 16)
            .and_then(|d| d.and_hms_opt(9, 30, 5))
            .unwrap();
        let ev = AllDayEvent {
            uid: "case-7-prescription@recouvra".into(),
            date: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            summary: "Dossier R-1, Roy".into(),
            description: "À faire ; vite".into(),
            url: Some("https://x.test/portal/cases/7".into()),
        };
        let text = calendar("Échéances", stamp, &[ev]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines.contains(&"DTSTAMP:20260316T093005Z"));
        assert!(lines.contains(&"DTSTART;VALUE=DATE:20270115"));
        assert!(lines.contains(&"DTEND;VALUE=DATE:20270116"));
        assert!(lines.contains(&"SUMMARY:Dossier R-1\\, Roy"));
        assert!(lines.contains(&"DESCRIPTION:À faire \\; vite"));
        assert!(lines.contains(&"URL:https://x.test/portal/cases/7"));
    }
}
