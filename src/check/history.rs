//! A brief against its company's history (`history.csv`): a `value`,
//! `prior` or `yoy` that the history contradicts beyond the precision of
//! both is a warning naming both files and places (TS0330). Relations are
//! judged with `check::interval`, so rounding never raises an alarm, and
//! an estimate in the history is not held against a reported figure.

use crate::check::interval::Interval;
use crate::diagnostic::{display_path, Diagnostic, Severity};
use crate::model::company::CompanyFile;
use crate::model::date::Period;
use crate::model::figure::{Figure, Notation};
use crate::model::format;
use crate::model::history::{History, HistoryValue};
use crate::model::lang::Lang;
use crate::model::metric::{Growth, Kind, Metric, Prior};
use crate::model::page::{Brief, Figures};
use crate::model::source::Source;

/// Every disagreement of `brief` (its `figures`, read from `doc`, in
/// `lang`) with the history of `company`.
pub(crate) fn brief(
    doc: &impl Source,
    lang: Lang,
    brief: &Brief,
    figures: &Figures,
    company: &CompanyFile,
) -> Vec<Diagnostic> {
    let Some(history) = &company.history else {
        return Vec::new();
    };
    let here = Here {
        doc,
        lang,
        history,
        company,
        period: brief.period,
    };
    let mut out = Vec::new();
    for m in &figures.metrics {
        if let Some(d) = here.unit(m) {
            out.push(d);
            continue;
        }
        here.value(m, &mut out);
        here.prior(m, &mut out);
        here.yoy(m, &mut out);
    }
    out
}

/// What the checks of one brief share.
struct Here<'a, D: Source> {
    doc: &'a D,
    lang: Lang,
    history: &'a History,
    company: &'a CompanyFile,
    period: Period,
}

impl<D: Source> Here<'_, D> {
    /// The reported figure of `key` in `period`, if the history has one.
    fn reported(&self, key: &str, period: Period) -> Option<&HistoryValue> {
        let p = self.history.period(period.reported())?;
        (!p.estimate).then(|| self.history.value(key, period.reported()))?
    }

    /// Where a history figure is, as a reader finds it.
    fn cell(&self, v: &HistoryValue) -> String {
        let path = self.company.history_path();
        format!(
            "{}:{}:{} (cell {})",
            display_path(&path),
            v.at.pos.line,
            v.at.pos.col,
            v.at.cell()
        )
    }

    fn warn(&self, path: String, message: String) -> Diagnostic {
        let mut d = self.doc.error_at("TS0330", &path, false, message).help(
            "if the company restated the figure, correct the history; otherwise correct the brief",
        );
        d.severity = Severity::Warning;
        d
    }

    /// A history key whose figures are of another kind than the brief's
    /// metric of the same key (a % against an amount): an error (TS0615),
    /// since no check or chart can put them side by side.
    fn unit(&self, m: &Metric) -> Option<Diagnostic> {
        let h = self.history.series(&m.key).find_map(|(_, v)| v)?;
        let history_ratio = h.figure.notation == Notation::Percent;
        let brief_ratio = matches!(m.kind, Kind::Ratio);
        if history_ratio == brief_ratio || matches!(m.kind, Kind::Multiple) {
            return None;
        }
        let (here, there) = match brief_ratio {
            true => ("a ratio (%)", "an amount"),
            false => ("an amount", "a ratio (%)"),
        };
        Some(
            self.doc
                .error_at(
                    "TS0615",
                    &format!("metrics.{}", m.key),
                    true,
                    format!(
                        "`{}` is {here} in this brief, but {} has {there} for it ({})",
                        m.key,
                        self.cell(h),
                        h.figure.text
                    ),
                )
                .help("a key means one thing for a company: rename the metric here or the row of the history"),
        )
    }

    fn value(&self, m: &Metric, out: &mut Vec<Diagnostic>) {
        if let Some(value) = &m.value {
            self.stated(m, "value", value, self.period, "", out);
        }
    }

    fn prior(&self, m: &Metric, out: &mut Vec<Diagnostic>) {
        if let Some(Prior::Stated(prior)) = &m.prior {
            let earlier = self.period.year_earlier();
            self.stated(m, "prior", prior, earlier, " (the prior)", out);
        }
    }

    /// The figure `stated` as `m`'s `field`, for `period`, against the
    /// history's reported figure of that period (`what` says which it is).
    fn stated(
        &self,
        m: &Metric,
        field: &str,
        stated: &Figure,
        period: Period,
        what: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(h) = self.reported(&m.key, period) else {
            return;
        };
        if disagree(stated, &h.figure) {
            out.push(self.warn(
                format!("metrics.{}.{field}", m.key),
                format!(
                    "{} for {period}{what} is {} here, but {} has {}",
                    m.key,
                    format::figure(stated, &m.kind, self.lang, m.decimals),
                    self.cell(h),
                    format::figure(&h.figure, &m.kind, self.lang, None),
                ),
            ));
        }
    }

    /// A stated growth rate against the history's figures a year apart
    /// (amounts only: a ratio's change is checked in points by the brief's
    /// own rules, and its growth in % is TS0312, never a relative change).
    fn yoy(&self, m: &Metric, out: &mut Vec<Diagnostic>) {
        let Some(Growth::Rate(rate)) = &m.yoy else {
            return;
        };
        if m.kind == Kind::Ratio
            || matches!(
                rate.notation,
                Notation::PercentPoints | Notation::BasisPoints
            )
        {
            return;
        }
        let earlier = self.period.year_earlier();
        let Some(then) = self.reported(&m.key, earlier) else {
            return;
        };
        // This period's figure: the history's, else the brief's own.
        let (now, now_at) = match (self.reported(&m.key, self.period), &m.value) {
            (Some(h), _) => (&h.figure, format!("at {}", self.cell(h))),
            (None, Some(v)) => (v, "in this brief".to_string()),
            (None, None) => return,
        };
        if !now.is_exact() || !then.figure.is_exact() || then.figure.amount.signum() <= 0 {
            return;
        }
        let computed = Interval::of(now)
            .over(Interval::of(&then.figure))
            .minus(Interval::point(1.0));
        if computed.overlaps(Interval::of(rate)) {
            return;
        }
        let shown = |v: f64| {
            crate::model::figure::Decimal::from_f64(v, -3)
                .map(|d| format::growth(&Growth::Computed(d), self.lang))
                .unwrap_or_default()
        };
        out.push(self.warn(
            format!("metrics.{}.yoy", m.key),
            format!(
                "{} yoy is stated as {}, but {} {now_at} against {} for {earlier} at {} is {}",
                m.key,
                format::growth(&Growth::Rate(rate.clone()), self.lang),
                format::figure(now, &m.kind, self.lang, None),
                format::figure(&then.figure, &m.kind, self.lang, None),
                self.cell(then),
                shown(now.value() / then.figure.value() - 1.0),
            ),
        ));
    }
}

/// Whether no values within the stated precisions of `a` and `b` agree.
fn disagree(a: &Figure, b: &Figure) -> bool {
    a.is_exact() && b.is_exact() && !Interval::of(a).overlaps(Interval::of(b))
}
