//! Points in time as a parameter (the core never reads a clock), and their RFC 3339 spelling.

use core::fmt;

/// Seconds since 1970-01-01T00:00:00Z, the only notion of time the core knows.
///
/// Callers pass "now" explicitly (webpki-style), so every report is reproducible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

/// Why an RFC 3339 timestamp could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeParseError;

impl fmt::Display for TimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected an RFC 3339 timestamp such as 2026-11-22T00:00:00Z")
    }
}

/// Its RFC 3339 spelling.
impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Serialized as its RFC 3339 spelling (`2026-11-22T00:00:00Z`), as in the report contract.
impl serde::Serialize for UnixTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

/// A certificate "expires soon" within this many days of now: the threshold of `cert.expires_soon`,
/// and the default every face uses for "expiring" (the CLI's `list`, the dashboard's colours and
/// its monitor).
pub const EXPIRES_SOON_DAYS: u32 = 30;

impl UnixTime {
    /// 9999-12-31T23:59:59Z: the notAfter that means "no well-defined expiration" (RFC 5280
    /// 4.1.2.5).
    pub const NEVER: UnixTime = UnixTime(253_402_300_799);

    /// Reads an RFC 3339 timestamp (`2026-11-22T10:00:00Z`, `…+02:00`, fractions ignored).
    ///
    /// # Errors
    /// [`TimeParseError`] when the text is not such a timestamp or names an impossible date.
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimeParseError> {
        let bytes = text.trim().as_bytes();
        let number = |range: core::ops::Range<usize>| -> Result<i64, TimeParseError> {
            let digits = bytes.get(range).ok_or(TimeParseError)?;
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return Err(TimeParseError);
            }
            Ok(digits.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
        };
        let separator = |index: usize, allowed: &[u8]| -> Result<(), TimeParseError> {
            match bytes.get(index) {
                Some(b) if allowed.contains(b) => Ok(()),
                _ => Err(TimeParseError),
            }
        };
        let year = number(0..4)?;
        separator(4, b"-")?;
        let month = number(5..7)?;
        separator(7, b"-")?;
        let day = number(8..10)?;
        separator(10, b"Tt ")?;
        let hour = number(11..13)?;
        separator(13, b":")?;
        let minute = number(14..16)?;
        separator(16, b":")?;
        let second = number(17..19)?;
        let mut rest = 19;
        if bytes.get(rest) == Some(&b'.') {
            rest += 1;
            while bytes.get(rest).is_some_and(u8::is_ascii_digit) {
                rest += 1;
            }
        }
        let offset = match bytes.get(rest) {
            Some(b'Z' | b'z') if bytes.len() == rest + 1 => 0,
            Some(sign @ (b'+' | b'-')) if bytes.len() == rest + 6 => {
                separator(rest + 3, b":")?;
                let minutes = number(rest + 1..rest + 3)? * 60 + number(rest + 4..rest + 6)?;
                if *sign == b'+' { minutes * 60 } else { -minutes * 60 }
            }
            _ => return Err(TimeParseError),
        };
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(TimeParseError);
        }
        let days = days_from_civil(year, month, day);
        Ok(Self(days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset))
    }

    /// The UTC calendar fields `(year, month, day, hour, minute, second)`.
    pub fn to_civil(self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.0.div_euclid(86_400);
        let seconds = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        (year, month, day, seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// The RFC 3339 spelling in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn to_rfc3339(self) -> String {
        let (year, month, day, hour, minute, second) = self.to_civil();
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    }

    /// Whether `self`, a notAfter, falls within `days` days of `now` (at most `days` × 86 400
    /// seconds after it). A notAfter already past is within any number of days: callers that
    /// tell "expired" apart ask `now > self` first.
    pub fn expires_within(self, now: UnixTime, days: u32) -> bool {
        self.0.saturating_sub(now.0) <= i64::from(days).saturating_mul(86_400)
    }

    /// Whole days from `self` until `later` (negative when `later` is earlier), rounded down.
    pub fn days_until(self, later: UnixTime) -> i64 {
        (later.0 - self.0).div_euclid(86_400)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        for (text, seconds) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-11-22T00:00:00Z", 1_795_305_600),
            ("2000-02-29T12:34:56Z", 951_827_696),
            ("1969-12-31T23:59:59Z", -1),
        ] {
            let time = UnixTime::parse_rfc3339(text).unwrap();
            assert_eq!(time, UnixTime(seconds), "{text}");
            assert_eq!(time.to_rfc3339(), text);
        }
    }

    #[test]
    fn rfc3339_offsets_and_fractions() {
        assert_eq!(
            UnixTime::parse_rfc3339("2026-11-22T02:00:00.123+02:00"),
            UnixTime::parse_rfc3339("2026-11-22T00:00:00Z")
        );
    }

    #[test]
    fn expires_within_counts_seconds_up_to_and_including_the_last() {
        let now = UnixTime(1_000_000);
        let day = 86_400;
        let cases = [
            (now.0 + 30 * day, 30, true),
            (now.0 + 30 * day + 1, 30, false),
            (now.0, 0, true),
            (now.0 + 1, 0, false),
            (now.0 - 1, 0, true),
            (now.0 - 5 * day, 30, true),
        ];
        for (not_after, days, within) in cases {
            assert_eq!(UnixTime(not_after).expires_within(now, days), within, "{not_after} {days}");
        }
        assert!(!UnixTime(i64::MAX).expires_within(UnixTime(i64::MIN), u32::MAX));
        assert_eq!(EXPIRES_SOON_DAYS, 30);
    }

    #[test]
    fn rfc3339_rejects_nonsense() {
        for text in ["", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22", "now", "2026-11-22T00:00:00"] {
            assert_eq!(UnixTime::parse_rfc3339(text), Err(TimeParseError), "{text}");
        }
    }
}
