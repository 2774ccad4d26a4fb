//! Validity as the Check page and the monitor show it: days left, how much of the period has
//! elapsed (the bar), its tone (the colours), and dates a person reads, with the exact RFC 3339
//! value kept for a tooltip.

use certcheck::{EXPIRES_SOON_DAYS, UnixTime};

/// The colour a validity is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Past its notAfter.
    Expired,
    /// Within the core's [`EXPIRES_SOON_DAYS`] of its notAfter (`cert.expires_soon`).
    Soon,
    /// Further away.
    Ok,
}

impl Tone {
    /// The CSS class (`expired`, `soon`, `ok`).
    pub fn class(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Soon => "soon",
            Self::Ok => "ok",
        }
    }
}

/// One certificate's validity at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    /// Whole days from now to notAfter (negative once expired).
    pub days_left: i64,
    /// How much of the period has elapsed, in per mille; `None` when the start is not known (a
    /// vendor record without the certificate).
    pub elapsed: Option<u32>,
    /// Its colour.
    pub tone: Tone,
    /// Whole days since notAfter once expired (0 on the day it expired, and before).
    pub days_expired: i64,
}

impl Validity {
    /// The validity of a certificate valid from `not_before` (when known) to `not_after`, at
    /// `now`.
    pub fn new(not_before: Option<UnixTime>, not_after: UnixTime, now: UnixTime) -> Self {
        let days_left = days_left(not_after, now);
        let tone = if not_after.0 <= now.0 {
            Tone::Expired
        } else if not_after.expires_within(now, EXPIRES_SOON_DAYS) {
            Tone::Soon
        } else {
            Tone::Ok
        };
        let days_expired = if tone == Tone::Expired { not_after.days_until(now) } else { 0 };
        let elapsed = not_before.map(|start| elapsed_per_mille(start, not_after, now));
        Self { days_left, elapsed, tone, days_expired }
    }

    /// "12 days left", "1 day left", "expires today", "expired 3 days ago".
    pub fn text(&self) -> String {
        let plural = |n: i64| if n == 1 { "" } else { "s" };
        match (self.tone, self.days_left) {
            (Tone::Expired, _) if self.days_expired == 0 => "expired today".to_owned(),
            (Tone::Expired, _) => format!("expired {} day{} ago", self.days_expired, plural(self.days_expired)),
            (_, 0) => "expires today".to_owned(),
            (_, days) => format!("{days} day{} left", plural(days)),
        }
    }
}

/// Days from `now` to `not_after` (negative once expired), rounded down.
pub fn days_left(not_after: UnixTime, now: UnixTime) -> i64 {
    now.days_until(not_after)
}

/// How much of the validity period has elapsed at `now`, in per mille (0–1000).
pub fn elapsed_per_mille(start: UnixTime, end: UnixTime, now: UnixTime) -> u32 {
    let span = end.0.saturating_sub(start.0);
    if span <= 0 {
        return 1000;
    }
    let elapsed = now.0.saturating_sub(start.0).clamp(0, span);
    u32::try_from(elapsed.saturating_mul(1000) / span).unwrap_or(1000)
}

/// English month abbreviations, for dates that read the same in every locale's tests.
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A date a person reads, in UTC: `27 Nov 2026`. The exact instant belongs in a tooltip
/// ([`UnixTime::to_rfc3339`]).
pub fn readable_date(time: UnixTime) -> String {
    let (year, month, day, ..) = time.to_civil();
    let month = usize::try_from(month - 1).ok().and_then(|m| MONTHS.get(m)).copied().unwrap_or("?");
    format!("{day} {month} {year}")
}

/// A vendor's timestamp as a readable date, or the text as given when it is no RFC 3339 time.
pub fn readable_stamp(text: &str) -> String {
    UnixTime::parse_rfc3339(text).map_or_else(|_| text.to_owned(), readable_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> UnixTime {
        UnixTime::parse_rfc3339(text).unwrap_or(UnixTime(0))
    }

    #[test]
    fn figures_and_tones() {
        let now = at("2026-06-01T00:00:00Z");
        assert_eq!(days_left(at("2026-06-11T00:00:00Z"), now), 10);
        assert_eq!(days_left(at("2026-05-22T00:00:00Z"), now), -10);
        assert_eq!(elapsed_per_mille(at("2026-05-01T00:00:00Z"), at("2026-07-01T00:00:00Z"), now), 508);
        assert_eq!(elapsed_per_mille(at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), now), 0);
        assert_eq!(elapsed_per_mille(at("2020-01-01T00:00:00Z"), at("2021-01-01T00:00:00Z"), now), 1000);
        assert_eq!(elapsed_per_mille(at("2021-01-01T00:00:00Z"), at("2020-01-01T00:00:00Z"), now), 1000);

        let soon = Validity::new(Some(at("2026-05-01T00:00:00Z")), at("2026-06-11T12:00:00Z"), now);
        assert_eq!((soon.days_left, soon.elapsed, soon.tone), (10, Some(746), Tone::Soon));
        assert_eq!(soon.text(), "10 days left");
        let far = Validity::new(None, at("2027-06-01T00:00:00Z"), now);
        assert_eq!((far.tone, far.elapsed, far.text()), (Tone::Ok, None, "365 days left".to_owned()));
        assert_eq!(Validity::new(None, at("2026-06-02T00:00:00Z"), now).text(), "1 day left");
        assert_eq!(Validity::new(None, at("2026-06-01T18:00:00Z"), now).text(), "expires today");
        let expired = Validity::new(None, at("2026-05-31T18:00:00Z"), now);
        assert_eq!((expired.tone, expired.text()), (Tone::Expired, "expired today".to_owned()));
        assert_eq!(Validity::new(None, at("2026-05-29T00:00:00Z"), now).text(), "expired 3 days ago");
        assert_eq!(Validity::new(None, at("2026-05-30T00:00:00Z"), now).text(), "expired 2 days ago");
        assert_eq!(Validity::new(None, at("2026-05-31T00:00:00Z"), now).text(), "expired 1 day ago");
        assert_eq!(Tone::Soon.class(), "soon");
        // The core's rule, to the second: 30 days exactly is soon (as `cert.expires_soon`), one
        // second more is not.
        assert_eq!(Validity::new(None, at("2026-07-01T00:00:00Z"), now).tone, Tone::Soon);
        assert_eq!(Validity::new(None, at("2026-07-01T00:00:01Z"), now).tone, Tone::Ok);
    }

    #[test]
    fn dates_read_as_dates() {
        assert_eq!(readable_date(at("2026-11-27T14:05:00Z")), "27 Nov 2026");
        assert_eq!(readable_date(at("2000-02-29T00:00:00Z")), "29 Feb 2000");
        assert_eq!(readable_stamp("2031-01-05T00:00:00Z"), "5 Jan 2031");
        assert_eq!(readable_stamp("never"), "never");
    }
}
