//! How expectations read on a page: a metric's consensus with its signed
//! surprise and verdict (`+1.5% · beat`, `+0.3pp · 超预期`), the guide it
//! was held to with where it landed (`above guidance`), and the guidance
//! for a later period (`Q3 FY2026: $54.0bn ± 2%`) — for cards, the metric
//! table, the guidance block and `metric(show=...)` alike.

use serde::Serialize;

use crate::check::expectation::guided_verdict;
use crate::model::expectation::{self, GuideVerdict, InlineBand, Verdict};
use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::Metric;
use crate::model::period::FiscalYearEnd;
use crate::model::strings::{Key, Strings};

/// A metric's expectations as text; empty strings for what it lacks.
#[derive(Serialize, Default)]
pub(crate) struct Expected {
    pub consensus: String,
    pub surprise: String,
    /// `up`, `down`, `flat` or `none`: the surprise's sign.
    pub surprise_direction: &'static str,
    /// `beat`, `in_line`, `miss` (a UI string key), or empty.
    pub verdict: &'static str,
    pub verdict_text: String,
    pub guided: String,
    /// `above_guidance`, `within_guidance`, `below_guidance`, or empty.
    pub guided_verdict: &'static str,
    pub guided_text: String,
    pub guidance: String,
    /// The period the guidance is for, as the page names periods.
    pub guidance_period: String,
}

/// What a page needs to say a metric's expectations.
#[derive(Clone, Copy)]
pub(crate) struct Reading<'a> {
    pub lang: Lang,
    pub strings: &'a Strings,
    pub band: InlineBand,
    pub fye: FiscalYearEnd,
}

impl Reading<'_> {
    /// The expectations of `m`, when it has any.
    pub(crate) fn of(&self, m: &Metric) -> Option<Expected> {
        let e = m.expect.as_deref()?;
        let lang = self.lang;
        let show = |f| format::figure(f, &m.kind, lang, m.decimals);
        let mut out = Expected {
            surprise_direction: "none",
            ..Expected::default()
        };
        if let Some(c) = &e.consensus {
            out.consensus = show(c);
            if let Some(v) = &m.value {
                let s = expectation::surprise(v, c, &m.kind);
                out.surprise = format::growth(&s, lang);
                out.surprise_direction = s.direction().as_str();
                let key = match expectation::verdict(v, c, &m.kind, self.band) {
                    Verdict::Beat => Key::Beat,
                    Verdict::InLine => Key::InLine,
                    Verdict::Miss => Key::Miss,
                };
                out.verdict = key.name();
                out.verdict_text = self.strings.get(lang, key).to_string();
            }
        }
        if let Some(g) = &e.guided {
            out.guided = show(g);
            if let Some(v) = &m.value {
                let key = match guided_verdict(v, g) {
                    GuideVerdict::Above => Key::AboveGuidance,
                    GuideVerdict::Within => Key::WithinGuidance,
                    GuideVerdict::Below => Key::BelowGuidance,
                };
                out.guided_verdict = key.name();
                out.guided_text = self.strings.get(lang, key).to_string();
            }
        }
        if let Some(g) = &e.guidance {
            out.guidance = show(&g.value);
            out.guidance_period = g.period.label(self.fye, lang);
        }
        Some(out)
    }

    /// `metric(show=...)` for an expectation: `consensus`, `surprise`
    /// (with its verdict), `verdict`, `guided` (with where the actual
    /// landed) or `guidance`; `None` for another `show`, `Some(None)` when
    /// the metric lacks it.
    pub(crate) fn show(&self, m: &Metric, what: &str) -> Option<Option<(String, String)>> {
        let e = self.of(m).unwrap_or_default();
        let (lp, rp) = match self.lang {
            Lang::Zh => ("（", "）"),
            Lang::En => (" (", ")"),
        };
        let pick = |text: String, class: String| (!text.is_empty()).then_some((text, class));
        Some(match what {
            "consensus" => pick(e.consensus, "fig".into()),
            "surprise" if e.surprise.is_empty() => None,
            "surprise" => pick(
                format!("{}{lp}{}{rp}", e.surprise, e.verdict_text),
                format!("chg {}", e.surprise_direction),
            ),
            "verdict" => pick(e.verdict_text, format!("verdict {}", e.verdict)),
            "guided" if e.guided_text.is_empty() => pick(e.guided, "fig".into()),
            "guided" => pick(
                format!("{}{lp}{}{rp}", e.guided, e.guided_text),
                format!("verdict {}", e.guided_verdict),
            ),
            "guidance" => pick(e.guidance, "fig guide".into()),
            _ => return None,
        })
    }
}
