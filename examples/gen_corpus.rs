//! Generates a realistic, deterministic corpus of briefs for benchmarks:
//! `cargo run --release --example gen_corpus -- N DIR`.
//!
//! 80 fictional companies, each with consecutive quarters; zh and en
//! briefs; 8–12 metrics with growth that agrees with the series (so
//! `check` stays quiet), 2–3 charts (bar, combo), and 600–1,600 words of
//! body with sections, lists, tables, links and footnotes.

use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const COMPANIES: usize = 80;
const METRICS: &[(&str, &str, &str, f64)] = &[
    ("revenue", "营收", "Revenue", 200.0),
    ("gross_profit", "毛利", "Gross profit", 90.0),
    ("operating_profit", "经营利润", "Operating profit", 40.0),
    ("net_profit", "净利润", "Net profit", 30.0),
    ("ad_revenue", "广告收入", "Advertising revenue", 80.0),
    ("cloud_revenue", "云收入", "Cloud revenue", 50.0),
    ("overseas_revenue", "海外收入", "Overseas revenue", 20.0),
    ("capex", "资本开支", "Capex", 25.0),
    ("rnd", "研发投入", "R&D spending", 35.0),
    ("free_cash_flow", "自由现金流", "Free cash flow", 28.0),
    ("users", "月活用户", "Monthly users", 3.0),
    ("orders", "订单量", "Orders", 12.0),
];

/// Value of metric `m` of company `c` in quarter `q` (in 亿), a smooth
/// deterministic series.
fn series(c: usize, m: usize, q: usize) -> f64 {
    let base = METRICS[m].3 * (1.0 + (c % 7) as f64 * 0.3);
    let trend = 1.0 + 0.02 * q as f64;
    let wave = 1.0 + 0.05 * ((q as f64 * 1.7 + c as f64 + m as f64).sin());
    (base * trend * wave * 10.0).round() / 10.0
}

fn period(q: usize) -> String {
    format!("{}Q{}", 1994 + q / 4, q % 4 + 1)
}

const ZH_WORDS: &[&str] = &[
    "公司",
    "本季度",
    "收入",
    "增长",
    "利润率",
    "管理层",
    "指引",
    "市场",
    "竞争",
    "用户",
    "广告",
    "云业务",
    "海外",
    "投入",
    "回报",
    "估值",
    "风险",
    "需求",
    "供给",
    "渠道",
];
const EN_WORDS: &[&str] = &[
    "the",
    "company",
    "quarter",
    "revenue",
    "growth",
    "margin",
    "management",
    "guidance",
    "market",
    "competition",
    "users",
    "advertising",
    "cloud",
    "overseas",
    "investment",
    "returns",
    "valuation",
    "risk",
    "demand",
    "channel",
];

fn sentence(rng: &mut Rng, zh: bool) -> String {
    let n = 8 + rng.below(12) as usize;
    let words: Vec<&str> = (0..n)
        .map(|_| {
            if zh {
                ZH_WORDS[rng.below(20) as usize]
            } else {
                EN_WORDS[rng.below(20) as usize]
            }
        })
        .collect();
    if zh {
        format!("{}。", words.concat())
    } else {
        let mut s = words.join(" ");
        s[..1].make_ascii_uppercase();
        format!("{s}.")
    }
}

fn brief(i: usize, rng: &mut Rng) -> (String, String) {
    let c = i % COMPANIES;
    let q = 4 + i / COMPANIES;
    let zh = (i / COMPANIES + c).is_multiple_of(2);
    let name = if zh {
        format!("示例公司{c:02}")
    } else {
        format!("Example Co {c:02}")
    };
    let ticker = format!("EX{c:02}.DEMO");
    let p = period(q);
    let year = 1994 + q / 4;
    let month = [2, 5, 8, 11][q % 4];
    let date = format!("{:04}-{month:02}-{:02}", year, 10 + c % 18);
    let n_metrics = 8 + rng.below(5) as usize;
    let mut fm = String::new();
    let lang = if zh { "zh" } else { "en" };
    let _ = writeln!(fm, "---\ntitle: \"{name} {p}\"\ndate: {date}\ncompany: {{ name: \"{name}\", ticker: {ticker}, sector: Demo }}\nperiod: {p}\nlang: {lang}\ncurrency: CNY");
    let _ = writeln!(fm, "summary: \"{}\"", sentence(rng, zh));
    let _ = writeln!(fm, "tags: [demo, sector-{}]", c % 12);
    let _ = writeln!(fm, "metrics:");
    for (m, (key, label_zh, label_en, _)) in METRICS.iter().enumerate().take(n_metrics) {
        let v = series(c, m, q);
        let prior = series(c, m, q - 4);
        let prev = series(c, m, q - 1);
        let yoy = (v / prior - 1.0) * 100.0;
        let qoq = (v / prev - 1.0) * 100.0;
        let label = if zh { label_zh } else { label_en };
        let (value, unit) = if *key == "users" || *key == "orders" {
            (format!("{v:.1}亿"), ", unit: 人")
        } else {
            (format!("{v:.1}亿"), "")
        };
        let _ = writeln!(fm, "  {key}: {{ label: \"{label}\", value: {value}{unit}, yoy: {yoy:.1}%, qoq: {qoq:.1}% }}");
    }
    let _ = writeln!(fm, "charts:\n  - {{ id: main, type: bar, title: \"{}\", metrics: [revenue, gross_profit, net_profit] }}", if zh { "主要指标" } else { "Key figures" });
    let xs: Vec<String> = (q - 4..=q).map(period).collect();
    let rev: Vec<String> = (q - 4..=q)
        .map(|k| format!("{:.1}亿", series(c, 0, k)))
        .collect();
    let g: Vec<String> = (q - 4..=q)
        .map(|k| {
            format!(
                "{:.1}%",
                (series(c, 0, k) / series(c, 0, k.saturating_sub(4)) - 1.0) * 100.0
            )
        })
        .collect();
    let _ = writeln!(fm, "  - id: trend\n    type: combo\n    title: \"{}\"\n    x: [{}]\n    series:\n      - {{ name: \"{}\", values: [{}] }}\n      - {{ name: \"{}\", values: [{}], as: line }}", if zh { "季度营收" } else { "Quarterly revenue" }, xs.join(", "), if zh { "营收" } else { "Revenue" }, rev.join(", "), if zh { "同比" } else { "YoY" }, g.join(", "));
    if rng.below(2) == 0 {
        let _ = writeln!(fm, "  - {{ id: growth, type: bar, title: \"{}\", metrics: [revenue.yoy, net_profit.yoy] }}", if zh { "同比增速" } else { "Growth" });
    }
    fm.push_str("---\n\n");
    // Body: sections of paragraphs, a list, a table, a link, a footnote.
    let words_target = 600 + rng.below(1000) as usize;
    let mut words = 0;
    let mut section = 0;
    while words < words_target {
        section += 1;
        let _ = writeln!(fm, "## {} {section}\n", if zh { "要点" } else { "Point" });
        for _ in 0..3 {
            let mut para = String::new();
            for _ in 0..4 {
                para.push_str(&sentence(rng, zh));
                para.push(' ');
                words += 14;
            }
            let _ = writeln!(fm, "{para}\n");
        }
        if section == 1 {
            let _ = writeln!(fm, "{} {{{{ metric(id=\"revenue\") }}}}，{{{{ metric(id=\"revenue\", show=\"yoy\") }}}}[^1].\n", if zh { "营收" } else { "Revenue" });
            let _ = writeln!(
                fm,
                "- {}\n- {}\n- [{}](https://example.org/ir/{c})\n",
                sentence(rng, zh),
                sentence(rng, zh),
                if zh { "公告" } else { "Filing" }
            );
            let _ = writeln!(
                fm,
                "| a | b |\n| --- | --- |\n| {} | {} |\n",
                rng.below(100),
                rng.below(100)
            );
            let _ = writeln!(fm, "{{{{ chart(id=\"trend\") }}}}\n");
        }
    }
    let _ = writeln!(fm, "[^1]: {}", sentence(rng, zh));
    (
        format!(
            "{}-{}",
            p.to_lowercase(),
            ticker.to_lowercase().replace(".", "-")
        ),
        fm,
    )
}

/// Writes a site of `n` briefs into `root` (site.yaml and content/briefs);
/// returns the bytes of Markdown written.
pub fn generate(n: usize, root: &Path) -> std::io::Result<usize> {
    let briefs = root.join("content/briefs");
    std::fs::create_dir_all(&briefs)?;
    std::fs::write(
        root.join("site.yaml"),
        "title: Corpus\nbase_url: https://example.org/\nlang: zh\ncurrency: CNY\nper_page: 20\n",
    )?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = 0;
    for i in 0..n {
        let (slug, text) = brief(i, &mut rng);
        bytes += text.len();
        std::fs::write(briefs.join(format!("{slug}.md")), text)?;
    }
    Ok(bytes)
}

#[allow(dead_code)] // used as the example's entry point, not by the bench
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen_corpus N DIR");
        std::process::exit(2);
    };
    match generate(n, Path::new(dir)) {
        Ok(bytes) => println!("wrote {n} briefs ({:.1} MB) to {dir}", bytes as f64 / 1e6),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
