//! Which clock the page judges dates by: the computer's, or a time the address pins with
//! `?now=<RFC 3339>` (the dashboard's counterpart of the CLI's `--now`: "how does this look on
//! that day?"; the end-to-end suites use it so that no test depends on the day it runs).

use certcheck::UnixTime;

/// The page's clock, read once from the address when the app starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The computer's clock (no `now=` in the address).
    System,
    /// Every date is judged at this time, which the address named.
    Pinned(UnixTime),
    /// The address has a `now=` that is not an RFC 3339 time: the page says so and uses the
    /// computer's clock.
    Invalid(String),
}

impl Clock {
    /// The clock a query string (`location.search`, with or without its `?`) names.
    pub fn from_query(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        let Some(value) = query.split('&').find_map(|pair| pair.strip_prefix("now=")) else {
            return Self::System;
        };
        // A `+` stays a plus sign: a time has no spaces, and `+01:00` means an offset.
        let text = super::percent_decoded(value);
        match UnixTime::parse_rfc3339(&text) {
            Ok(time) => Self::Pinned(time),
            Err(_) => Self::Invalid(text),
        }
    }

    /// The time to judge by, given the computer's.
    pub fn now(&self, system: UnixTime) -> UnixTime {
        match self {
            Self::Pinned(time) => *time,
            Self::System | Self::Invalid(_) => system,
        }
    }

    /// What the page says about its clock, if anything differs from the computer's.
    pub fn notice(&self) -> Option<String> {
        match self {
            Self::System => None,
            Self::Pinned(time) => Some(format!(
                "Dates are judged as of {time} (set by now= in the address), not by this computer's clock."
            )),
            Self::Invalid(text) => Some(format!(
                "The address's now={text:?} is not an RFC 3339 time such as 2026-11-22T00:00:00Z: dates are \
                 judged by this computer's clock."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSTEM: UnixTime = UnixTime(1_900_000_000);

    #[track_caller]
    fn check(query: &str, expected: Clock, now: UnixTime) {
        let clock = Clock::from_query(query);
        assert_eq!(clock, expected, "{query}");
        assert_eq!(clock.now(SYSTEM), now, "{query}");
    }

    #[test]
    fn the_address_pins_the_clock() {
        let pinned = UnixTime::parse_rfc3339("2026-11-22T00:00:00Z").unwrap();
        check("", Clock::System, SYSTEM);
        check("?", Clock::System, SYSTEM);
        check("?other=1", Clock::System, SYSTEM);
        check("?now=2026-11-22T00:00:00Z", Clock::Pinned(pinned), pinned);
        check("now=2026-11-22T00%3A00%3A00Z", Clock::Pinned(pinned), pinned);
        check("?a=b&now=2026-11-22T01:00:00%2B01:00&c", Clock::Pinned(pinned), pinned);
        check("?now=2026-11-22T01:00:00+01:00", Clock::Pinned(pinned), pinned);
        check("?now=tomorrow", Clock::Invalid("tomorrow".into()), SYSTEM);
        check("?now=%ZZ", Clock::Invalid("%ZZ".into()), SYSTEM);
        check("?now=", Clock::Invalid(String::new()), SYSTEM);
    }

    #[test]
    fn the_page_says_when_its_clock_is_not_the_computers() {
        assert_eq!(Clock::System.notice(), None);
        assert_eq!(
            Clock::Pinned(UnixTime(1_795_305_600)).notice().as_deref(),
            Some(
                "Dates are judged as of 2026-11-22T00:00:00Z (set by now= in the address), not by this computer's clock."
            )
        );
        assert_eq!(
            Clock::Invalid("soon".into()).notice().as_deref(),
            Some(
                "The address's now=\"soon\" is not an RFC 3339 time such as 2026-11-22T00:00:00Z: dates are judged \
                 by this computer's clock."
            )
        );
    }
}
