//! The check step: what depends only on where pages sit (the site index,
//! the companies' groups of briefs, unique URLs: kept from the last build
//! while no page moved), the rules across each company's briefs, and the
//! currency rule across the site.
//!
//! What the rules across a company's briefs find for a page is kept with
//! it (`restated` on the page, sparkline histories with its figures), so
//! a company whose briefs are all as they were at the last build (the
//! same files, none read again) is left as it was, and takes its
//! warnings from the memo; the pages of the others get theirs anew and
//! are marked changed. The figures of those are read from the memo's
//! store first.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{self, restatement::CompanyBriefs};
use crate::diagnostic::Diagnostic;
use crate::incremental::fingerprint;
use crate::incremental::kept::Tables;
use crate::incremental::store::Stored;
use crate::incremental::whole::{self, Whole};
use crate::load::walk::Found;
use crate::model::lang::Lang;
use crate::model::site_index::Company;
use crate::site::{Build, Settings, Stop};

/// Which companies' briefs the rules across them must see again: the
/// fingerprint of each group of briefs (by `check::restatement`'s key,
/// and by the index's company) and whether it differs from what the memo
/// kept or holds a page read again.
struct Recheck {
    findings: Vec<(u64, bool)>,
    histories: Vec<(u64, bool)>,
}

impl Recheck {
    fn new(
        tables: &Tables,
        groups: &[(String, CompanyBriefs)],
        companies: &[&Company],
        kept_findings: &HashMap<String, crate::incremental::memo::CompanyFindings>,
        kept_histories: &HashMap<String, u64>,
    ) -> Recheck {
        let anew = |kept: Option<&u64>, briefs: &[usize]| {
            let fp = fingerprint::company(&tables.pages, &tables.side, briefs);
            (
                fp,
                kept != Some(&fp) || briefs.iter().any(|&i| tables.side[i].changed),
            )
        };
        Recheck {
            findings: groups
                .par_iter()
                .map(|(key, c)| anew(kept_findings.get(key).map(|(fp, _)| fp), &c.all))
                .collect(),
            histories: companies
                .par_iter()
                .map(|c| anew(kept_histories.get(&c.slug), &c.briefs))
                .collect(),
        }
    }
}

/// What the check step found: the errors (which stop the build once
/// rendering has reported its own) and the warnings.
pub(crate) struct Checked {
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Build<'_> {
    /// Checks across pages; `problems` are the load step's errors and
    /// warnings so far.
    pub(super) fn check(
        &mut self,
        found: &Found,
        settings: &Settings,
        problems: Vec<Diagnostic>,
    ) -> Result<(Arc<Whole>, Checked), Stop> {
        let mut problems = problems;
        let whole = self.whole();
        problems.extend(whole.errors.iter().cloned());
        problems.extend(found.content.links.iter().cloned());
        problems.extend(found.static_links.iter().cloned());
        problems.extend(crate::render::theme::style_sheet_warnings(&self.opts.root));
        problems.extend(
            self.tables
                .pages
                .iter()
                .flat_map(|p| p.warnings.iter().cloned()),
        );
        problems.extend(self.across_companies(&whole, settings.config.lang)?);
        problems.extend(check::restatement::currencies(&self.tables.pages));
        let problems = crate::load::front_matter::locate_pending(&self.opts.root, problems);
        let (mut errors, warnings): (Vec<_>, Vec<_>) =
            problems.into_iter().partition(Diagnostic::is_error);
        let warnings = if self.opts.deny_warnings {
            errors.extend(warnings);
            Vec::new()
        } else {
            warnings
        };
        Ok((whole, Checked { errors, warnings }))
    }

    /// The index and what else depends only on where pages sit: kept
    /// from the last build while no page moved.
    fn whole(&mut self) -> Arc<Whole> {
        let shape = whole::shape(&self.tables.pages, &self.tables.side);
        let whole = match &self.memo.whole {
            Some(w) if w.fits(shape) => Arc::clone(w),
            _ => Arc::new(Whole::new(&self.tables.pages, shape)),
        };
        self.memo.whole = Some(Arc::clone(&whole));
        whole
    }

    /// Runs the rules across each company's briefs (restatements, quarter
    /// on quarter growth) and finds the sparkline histories, company by
    /// company in parallel, for the companies whose briefs changed;
    /// returns the warnings.
    fn across_companies(&mut self, whole: &Whole, lang: Lang) -> Result<Vec<Diagnostic>, Stop> {
        let groups = &whole.groups;
        let companies: Vec<&Company> = whole.index.companies.values().collect();
        let recheck = Recheck::new(
            &self.tables,
            groups,
            &companies,
            &self.memo.findings,
            &self.memo.histories,
        );
        let warnings = self.restatements(groups, &recheck)?;
        self.histories(&companies, &recheck, lang)?;
        if recheck
            .findings
            .iter()
            .chain(&recheck.histories)
            .any(|(_, anew)| *anew)
        {
            self.memo.touch();
        }
        Ok(warnings)
    }

    /// The restatement rules, for the companies `recheck` names; the
    /// others keep what the memo found.
    fn restatements(
        &mut self,
        groups: &[(String, CompanyBriefs)],
        recheck: &Recheck,
    ) -> Result<Vec<Diagnostic>, Stop> {
        let (t, memo) = (&self.tables, &*self.memo);
        // A company at a time, its briefs' figures read and dropped.
        let findings: Vec<Option<check::restatement::Findings>> = groups
            .par_iter()
            .zip(&recheck.findings)
            .map(|((_, company), (_, anew))| {
                anew.then(|| {
                    let figures = memo.read_figures(t, &company.all).ok_or(Stop::Afresh)?;
                    check::restatement::company_findings(&t.pages, &figures, company)
                        .map_err(Stop::from)
                })
                .transpose()
            })
            .collect::<Result<_, _>>()?;
        let mut warnings = Vec::new();
        let mut kept = HashMap::with_capacity(findings.len());
        for ((found, (key, company)), (fp, _)) in
            findings.into_iter().zip(groups).zip(&recheck.findings)
        {
            let Some(found) = found else {
                if let Some(entry) = self.memo.findings.remove(key) {
                    warnings.extend(entry.1.iter().cloned());
                    kept.insert(key.clone(), entry);
                }
                continue;
            };
            for &i in &company.all {
                self.tables.pages[i].restated.clear();
                self.tables.side[i].changed = true;
            }
            for r in found.flags {
                self.tables.pages[r.page].restated.push((r.key, r.from));
            }
            let located =
                crate::load::front_matter::locate_pending(&self.opts.root, found.warnings);
            warnings.extend(located.iter().cloned());
            kept.insert(key.clone(), (*fp, located));
        }
        self.memo.findings = kept;
        Ok(warnings)
    }

    /// The sparkline histories of the companies `recheck` names (a
    /// company at a time, its briefs' figures read and dropped), each
    /// brief's put in the store beside its figures.
    fn histories(
        &mut self,
        companies: &[&Company],
        recheck: &Recheck,
        lang: Lang,
    ) -> Result<(), Stop> {
        let (t, memo) = (&self.tables, &*self.memo);
        let store = memo.store().ok_or(Stop::Afresh)?;
        let found: Vec<Vec<(usize, u64, Option<Stored>)>> = companies
            .par_iter()
            .zip(&recheck.histories)
            .filter(|(_, (_, anew))| *anew)
            .map(|(company, _)| {
                let figures = memo.read_figures(t, &company.briefs).ok_or(Stop::Afresh)?;
                let found =
                    crate::model::site_index::company_histories(&t.pages, &figures, company, lang)?;
                drop(figures);
                let mut by_page: HashMap<usize, Vec<(String, Vec<f64>)>> =
                    company.briefs.iter().map(|&i| (i, Vec::new())).collect();
                for (i, key, values) in found {
                    by_page.entry(i).or_default().push((key, values));
                }
                by_page
                    .into_iter()
                    .map(|(i, history)| {
                        let hash = fingerprint::history(&history);
                        let side = &t.side[i];
                        if hash == side.history && (history.is_empty() || side.history_at.is_some())
                        {
                            return Ok((i, hash, side.history_at));
                        }
                        let at = match history.is_empty() {
                            true => None,
                            false => Some(store.put(&history).map_err(super::pages::store_error)?),
                        };
                        Ok((i, hash, at))
                    })
                    .collect::<Result<Vec<_>, Diagnostic>>()
                    .map_err(Stop::from)
            })
            .collect::<Result<_, Stop>>()?;
        for (i, hash, at) in found.into_iter().flatten() {
            let side = &mut self.tables.side[i];
            side.changed = true;
            side.history = hash;
            side.history_at = at;
        }
        self.memo.histories = companies
            .iter()
            .zip(&recheck.histories)
            .map(|(c, (fp, _))| (c.slug.clone(), *fp))
            .collect();
        Ok(())
    }
}
