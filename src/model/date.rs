//! Calendar dates (`2025-08-21`), validated when read. Reporting periods
//! (`2025Q2`, `FY2026Q2`, `FY2027E`) live in `period` and are re-exported
//! here, so `crate::model::date::Period` keeps working.

use std::fmt;

pub use crate::model::period::Period;

/// The months as English dates and period labels abbreviate them.
pub(crate) const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A real calendar date.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(remote = "Self")]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2025-08-21");
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` is not a date: there is no month {month}"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!(
                "`{s}` is not a date: month {month} of {year} has {} days",
                days_in_month(year, month)
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2025年8月21日`
    pub fn zh(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// `21 Aug 2025`
    pub fn en(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            EN_MONTHS[(self.month - 1) as usize],
            self.year
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Dates and periods are read inside deserialization so a bad one is
/// reported at its line and column. (The build's memo of pages, a binary
/// format, stores them field by field.)
macro_rules! deserialize_from_str {
    ($t:ty, $what:literal) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$t>::serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                if !d.is_human_readable() {
                    return <$t>::deserialize(d);
                }
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$t, E> {
                        <$t>::parse(s).map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
deserialize_from_str!(Date, "a date such as 2025-08-21");
pub(crate) use deserialize_from_str;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real() {
        assert_eq!(Date::parse("2025-08-21").unwrap().zh(), "2025年8月21日");
        assert_eq!(Date::parse("2025-08-21").unwrap().en(), "21 Aug 2025");
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(
            Date::parse("2025-02-29").unwrap_err(),
            "`2025-02-29` is not a date: month 2 of 2025 has 28 days"
        );
        assert!(Date::parse("2025-13-01").is_err());
        assert!(Date::parse("2025/08/21").is_err());
        assert_eq!(Date::from_days(0).iso(), "1970-01-01");
        assert_eq!(Date::from_days(20_328).iso(), "2025-08-28");
    }
}
