//! `tearsheet new content/briefs/NAME.md`: a brief skeleton dated today,
//! with every field of the format shown (optional ones commented out).
//! It builds as it is. Under `content/companies/` it writes a company
//! file instead (see `new_company`).

use std::path::{Path, PathBuf};

use crate::model::date::Date;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tearsheet new content/briefs/2025q3-kuaishou.md\n  tearsheet new content/briefs/2025q3-acme.md --lang en\n  tearsheet new content/companies/nvda.md --ticker NVDA --lang en"
)]
pub struct Args {
    /// The file to create, e.g. content/briefs/2025q3-acme.md
    pub path: PathBuf,
    /// Language of the brief
    #[arg(long, value_parser = ["zh", "en"], default_value = "zh")]
    pub lang: String,
    /// For a company file: its main ticker (a history.csv header is
    /// written from the metrics of the briefs that name it)
    #[arg(long)]
    pub ticker: Option<String>,
}

pub fn run(args: Args) -> i32 {
    if args.path.exists() {
        eprintln!(
            "error: {} already exists; tearsheet new never overwrites a file",
            args.path.display()
        );
        return 1;
    }
    if args.path.extension().is_none_or(|e| e != "md") {
        eprintln!("error: {} should end in .md", args.path.display());
        return 2;
    }
    let stem = args
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::model::page::valid_slug(&stem) {
        eprintln!(
            "error: `{stem}` is not a valid slug: use lowercase letters, digits, `.`, `_` and `-`"
        );
        return 2;
    }
    let mut files = Vec::new();
    if crate::cmd::new_company::is_company_file(&args.path) {
        let ticker = args.ticker.clone().unwrap_or_else(|| stem.to_uppercase());
        files.push((
            args.path.clone(),
            crate::cmd::new_company::skeleton(&ticker, &args.lang),
        ));
        files.extend(
            crate::cmd::new_company::history(&args.path, &ticker).filter(|(p, _)| !p.exists()),
        );
    } else {
        files.push((args.path.clone(), skeleton(Date::today(), &args.lang)));
    }
    for (path, text) in &files {
        if let Err(e) = write_new(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
        println!("Created {}", path.display());
    }
    0
}

fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

/// The quarter that ended most recently before `date`.
fn last_quarter(date: Date) -> String {
    let q = (date.month - 1) / 3;
    if q == 0 {
        format!("{}Q4", date.year - 1)
    } else {
        format!("{}Q{q}", date.year)
    }
}

/// A brief skeleton in `lang` ("zh" or "en").
pub fn skeleton(today: Date, lang: &str) -> String {
    let period = last_quarter(today);
    let date = today.iso();
    if lang == "en" {
        format!(
            r#"---
title: "Company {period}: the headline"
date: {date}
company: {{ name: Company, ticker: TICK, sector: Sector }}
period: {period}               # 2025Q2, 2025H1, FY2024, 2025-06
summary: One sentence with the figures that matter.
lang: en
currency: USD                 # default currency of money metrics
tags: [tag]
authors: [Research]           # or {{ name: Jane Doe, license: "S0000000000000" }}
# rating: {{ value: Buy, by: Broker, previous: Hold }}
# price: {{ value: 75, date: 2025-08-20 }}   # the share price upsides are measured from
# target_price: {{ value: 89, upside: 18.7%, by: Broker, previous: 80 }}
sources:
  - Company results announcement
  # - {{ title: Results, url: "https://example.org/ir.pdf" }}
# draft: true                 # drafts build only with --drafts
metrics:                      # the order here is the display order
  revenue: {{ label: Revenue, value: 1.2bn, yoy: 10.0% }}
  # net_profit: {{ label: Net profit, value: 150m, prior: 120m }}
  # margin: {{ label: Net margin, value: 12.5%, check: net_profit / revenue }}
  # users: {{ label: Users, value: 134m, unit: users, qoq: 2.1% }}
  # new_product: {{ label: New product revenue, value: ">250m", note: first disclosed }}
# charts:
#   - {{ id: growth, type: bar, title: Growth, metrics: [revenue.yoy] }}
#   - id: trend
#     type: combo
#     title: Quarterly revenue and growth
#     x: [2024Q3, 2024Q4, 2025Q1]
#     series:
#       - {{ name: Revenue, values: [1.0bn, 1.1bn, 1.2bn] }}
#       - {{ name: YoY, values: [8.0%, 9.0%, 10.0%], as: line }}
---

Revenue was {{{{ metric(id="revenue") }}}}, {{{{ metric(id="revenue", show="yoy") }}}}.

<!-- Place a chart with {{{{ chart(id="trend") }}}} on its own line. -->
"#
        )
    } else {
        format!(
            r#"---
title: 公司 {period}：标题
date: {date}
company: {{ name: 公司, ticker: 0000.HK, sector: 行业 }}
period: {period}               # 2025Q2、2025H1、FY2024、2025-06
summary: 用一句话写出最重要的数字。
lang: zh
currency: CNY                 # 金额指标的默认币种
tags: [标签]
authors: [研究部]              # 或 {{ name: 张三, license: S0000000000000 }}
# rating: {{ value: 买入, by: 券商, previous: 增持 }}
# price: {{ value: 75, currency: HKD, date: 2025-08-20 }}   # 计算上行空间所用的股价及其日期
# target_price: {{ value: 89, upside: 18.7%, by: 券商, previous: 80 }}
sources:
  - 公司业绩公告
  # - {{ title: 业绩公告, url: "https://example.org/ir.pdf" }}
# draft: true                 # 草稿只在 --drafts 时生成
metrics:                      # 顺序即展示顺序
  revenue: {{ label: 营收, value: 350亿, yoy: 13.1% }}
  # net_profit: {{ label: 净利润, value: 56亿, prior: 46.6亿 }}
  # margin: {{ label: 净利率, value: 16.0%, check: net_profit / revenue }}
  # buyers: {{ label: 月均买家, value: 1.34亿, unit: 人, qoq: 2.1% }}
  # new_product: {{ label: 新业务收入, value: ">2.5亿", note: 首次披露 }}
# charts:
#   - {{ id: growth, type: bar, title: 同比增速, metrics: [revenue.yoy] }}
#   - id: trend
#     type: combo
#     title: 季度营收与同比增速
#     x: [2024Q3, 2024Q4, 2025Q1]
#     series:
#       - {{ name: 营收, values: [311亿, 354亿, 350亿] }}
#       - {{ name: 同比, values: [11.4%, 8.8%, 13.1%], as: line }}
---

营收 {{{{ metric(id="revenue") }}}}，{{{{ metric(id="revenue", show="yoy") }}}}。

<!-- 在单独一行写 {{{{ chart(id="trend") }}}} 放置图表。 -->
"#
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_is_the_last_quarter() {
        assert_eq!(
            last_quarter(Date {
                year: 2026,
                month: 11,
                day: 28
            }),
            "2026Q3"
        );
        assert_eq!(
            last_quarter(Date {
                year: 2026,
                month: 2,
                day: 1
            }),
            "2025Q4"
        );
    }
}
