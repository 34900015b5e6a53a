//! `cargo bench --bench charts`: microseconds of CPU per chart for each
//! chart type, inline, standalone, and both forms from one drawing
//! (`svg_pair`, what a brief's page uses), and the narrow column's drawing
//! (`svg_narrow`, which a page adds), on one thread. Target: ≤ 100 µs
//! per form; the pair well under the two renders it replaces.
//!
//! Each figure is the CPU time of this thread (so that other processes on
//! a busy machine do not count) over 15 batches of 200 renders after a
//! warm-up, per render; the fastest batch's wall time is shown beside it.
//! TS_BENCH_TYPE=stacked and TS_BENCH_STYLE=inline|standalone|pair pick
//! one case (for profilers).

mod support;

use std::hint::black_box;
use std::time::Instant;

use tearsheet::testing::chart::{svg, svg_narrow, svg_pair, Look, Style};
use tearsheet::testing::model::chart::{Chart, Point, Series};
use tearsheet::testing::model::figure::Figure;
use tearsheet::testing::model::front_matter::{ChartType, SeriesStyle};
use tearsheet::testing::model::lang::Lang;
use tearsheet::testing::model::metric::Kind;

fn series(name: &str, unit: Kind, values: &[&str]) -> Series {
    Series {
        name: name.into(),
        style: SeriesStyle::Bar,
        unit,
        points: values
            .iter()
            .map(|v| Point {
                figure: Some(Figure::parse(v).unwrap()),
                derived: false,
                estimate: false,
            })
            .collect(),
    }
}

fn chart(kind: ChartType, x: &[&str], series: Vec<Series>) -> Chart {
    Chart {
        id: kind.name().into(),
        kind,
        title: "季度营收与同比增速".into(),
        note: None,
        source: Some("公司公告".into()),
        x: x.iter().map(|s| s.to_string()).collect(),
        series,
        total: None,
    }
}

fn charts() -> Vec<Chart> {
    let money = Kind::Money {
        currency: "CNY".into(),
    };
    let q = ["2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"];
    let m = ["营收", "经调整净利润", "线上营销服务收入", "海外收入"];
    let rev = ["309.4亿", "311.3亿", "352.9亿", "326.1亿", "350.0亿"];
    let mut prior = series(
        "prior",
        money.clone(),
        &["309.4亿", "46.6亿", "175.5亿", "10.8亿"],
    );
    prior.points[0].derived = true;
    let mut line = series(
        "同比",
        Kind::Ratio,
        &["9.5%", "12.1%", "15.8%", "16.9%", "18.2%"],
    );
    line.style = SeriesStyle::Line;
    vec![
        chart(
            ChartType::Bar,
            &m,
            vec![series(
                "同比",
                Kind::Ratio,
                &["13.1%", "20.1%", "12.8%", "-5.2%"],
            )],
        ),
        chart(
            ChartType::Compare,
            &m,
            vec![
                prior,
                series("本期", money.clone(), &["350亿", "56亿", "198亿", "13亿"]),
            ],
        ),
        chart(
            ChartType::Line,
            &q,
            vec![
                series(
                    "毛利率",
                    Kind::Ratio,
                    &["51.2%", "53.0%", "54.1%", "54.9%", "55.7%"],
                ),
                series(
                    "净利率",
                    Kind::Ratio,
                    &["-1.2%", "3.5%", "9.8%", "14.2%", "16.0%"],
                ),
            ],
        ),
        chart(
            ChartType::Stacked,
            &q,
            vec![
                series(
                    "线上营销",
                    money.clone(),
                    &["175.5亿", "176.0亿", "206.1亿", "180.0亿", "198.0亿"],
                ),
                series(
                    "直播",
                    money.clone(),
                    &["93.5亿", "92.5亿", "99.5亿", "98.8亿", "100.4亿"],
                ),
                series(
                    "其他",
                    money.clone(),
                    &["40.4亿", "42.6亿", "47.2亿", "47.4亿", "51.6亿"],
                ),
            ],
        ),
        chart(
            ChartType::Combo,
            &q,
            vec![series("营收", money.clone(), &rev), line],
        ),
        chart(
            ChartType::Donut,
            &["线上营销服务", "直播", "其他服务"],
            vec![series("构成", money, &["198亿", "100亿", "52亿"])],
        ),
    ]
}

/// What one render is.
#[derive(Clone, Copy)]
enum Form {
    One(Style),
    Pair,
    /// The inline drawing for a narrow column, which a page adds.
    Narrow,
}

fn render(c: &Chart, form: Form) {
    match form {
        Form::One(style) => {
            black_box(svg(black_box(c), Look::builtin(Lang::Zh), style));
        }
        Form::Pair => {
            black_box(svg_pair(black_box(c), Look::builtin(Lang::Zh)));
        }
        Form::Narrow => {
            black_box(svg_narrow(black_box(c), Look::builtin(Lang::Zh)));
        }
    }
}

/// (mean CPU µs, fastest batch's wall µs) per render.
fn measure(c: &Chart, form: Form) -> (f64, f64) {
    // TS_BENCH_QUICK=1: a few renders only (for profilers such as
    // callgrind, which count instructions instead of time).
    let quick = std::env::var_os("TS_BENCH_QUICK").is_some();
    let (batch, batches) = if quick { (5, 1) } else { (200, 15) };
    for _ in 0..batch {
        render(c, form);
    }
    let mut cpu_total = 0.0;
    let mut cpu_ok = true;
    let mut wall = Vec::new();
    for _ in 0..batches {
        let (t, c0) = (Instant::now(), support::thread_cpu_ns());
        for _ in 0..batch {
            render(c, form);
        }
        wall.push(t.elapsed().as_secs_f64() * 1e6 / batch as f64);
        match (c0, support::thread_cpu_ns()) {
            (Some(a), Some(b)) => cpu_total += (b - a) as f64 / 1e3,
            _ => cpu_ok = false,
        }
    }
    wall.sort_by(f64::total_cmp);
    // The scheduler's clock moves in ticks: total over all batches.
    let cpu = if cpu_ok {
        cpu_total / (batch * batches) as f64
    } else {
        wall[wall.len() / 2]
    };
    (cpu, wall[0])
}

fn main() {
    println!(
        "{:<10} {:>16} {:>20} {:>16} {:>7} {:>8} {:>16}",
        "type",
        "inline CPU µs",
        "standalone CPU µs",
        "pair CPU µs",
        "pair/2",
        "bytes",
        "narrow CPU µs"
    );
    let mut worst: f64 = 0.0;
    let only_type = std::env::var("TS_BENCH_TYPE").ok();
    let only_style = std::env::var("TS_BENCH_STYLE").ok();
    let run = |c: &Chart, form: Form, name: &str| {
        if only_style.as_deref().is_some_and(|s| s != name) {
            (0.0, 0.0)
        } else {
            measure(c, form)
        }
    };
    for c in charts() {
        if only_type.as_deref().is_some_and(|t| t != c.kind.name()) {
            continue;
        }
        let (inline, inline_wall) = run(&c, Form::One(Style::Inline), "inline");
        let (standalone, standalone_wall) = run(&c, Form::One(Style::Standalone), "standalone");
        let (pair, pair_wall) = run(&c, Form::Pair, "pair");
        let (narrow, narrow_wall) = run(&c, Form::Narrow, "narrow");
        worst = worst.max(inline).max(standalone);
        // The pair against the two renders it replaces.
        let ratio = if inline + standalone > 0.0 {
            format!("{:.0}%", 100.0 * pair / (inline + standalone))
        } else {
            "-".into()
        };
        println!(
            "{:<10} {:>16} {:>20} {:>16} {:>7} {:>8} {:>16}",
            c.kind.name(),
            format!("{inline:.1} ({inline_wall:.1})"),
            format!("{standalone:.1} ({standalone_wall:.1})"),
            format!("{pair:.1} ({pair_wall:.1})"),
            ratio,
            svg(&c, Look::builtin(Lang::Zh), Style::Inline).len(),
            format!("{narrow:.1} ({narrow_wall:.1})"),
        );
    }
    println!(
        "(CPU time per chart over 15 batches of 200; in brackets the fastest batch's wall time;"
    );
    println!(" pair/2: the pair's time as a share of an inline plus a standalone render;");
    println!(" narrow: the drawing for a phone's column a page inlines beside the wide one)");
    println!(
        "slowest: {worst:.1} µs per chart (target ≤ 100 µs): {}",
        if worst <= 100.0 { "ok" } else { "OVER" }
    );
}
