//! UI strings in Chinese and English, chosen per page by its `lang`.
//! Templates receive them as `t`.

use crate::model::lang::Lang;

/// (key, zh, en)
pub const STRINGS: &[(&str, &str, &str)] = &[
    ("home", "首页", "Home"),
    ("skip", "跳到正文", "Skip to content"),
    ("key_figures", "关键数据", "Key figures"),
    ("charts", "图表", "Charts"),
    ("all_metrics", "全部指标", "All metrics"),
    ("metric", "指标", "Metric"),
    ("value", "数值", "Value"),
    ("prior", "上年同期", "Year earlier"),
    ("derived", "由数值与同比推算", "derived from value and YoY"),
    ("yoy", "同比", "YoY"),
    ("qoq", "环比", "QoQ"),
    ("rating", "评级", "Rating"),
    ("target_price", "目标价", "Target price"),
    ("upside", "上行空间", "Upside"),
    ("previous", "此前", "previously"),
    ("by", "来自", "by"),
    ("sources", "来源", "Sources"),
    ("disclaimer", "免责声明", "Disclaimer"),
    ("published", "发布于", "Published"),
    ("authors", "作者", "Authors"),
    ("period", "报告期", "Period"),
    ("ticker", "代码", "Ticker"),
    ("sector", "行业", "Sector"),
    ("tags", "标签", "Tags"),
    ("latest_briefs", "最新简报", "Latest briefs"),
    ("no_briefs", "还没有简报。", "No briefs yet."),
    ("note", "注", "Note"),
    ("chart_data", "图表数据", "Chart data"),
    ("nav", "主导航", "Main"),
    ("license", "执业编号", "licence"),
    ("restated_from", "重述，原为", "restated from"),
    ("companies", "公司", "Companies"),
    ("company", "公司", "Company"),
    ("search", "搜索", "Search"),
    (
        "search_placeholder",
        "搜索公司、代码、标签…",
        "Search companies, tickers, tags…",
    ),
    ("previous_page", "上一页", "Previous"),
    ("next_page", "下一页", "Next"),
    ("page", "第", "Page"),
    ("of", "页，共", "of"),
    ("history", "评级与目标价", "Rating and target price"),
    ("trends", "指标走势", "Metrics over time"),
    ("restatements", "数据重述", "Restated figures"),
    ("not_found", "找不到这个页面", "Page not found"),
    ("date", "日期", "Date"),
    ("brief", "简报", "Brief"),
    ("change", "变动", "Change"),
];

pub fn get(lang: Lang, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| if lang == Lang::Zh { *zh } else { *en })
        .unwrap_or("")
}

/// The whole table for one language, as the template value `t`, with the
/// site's own strings (`strings:` in site.yaml) replacing or adding keys.
pub fn table(
    lang: Lang,
    overrides: &std::collections::BTreeMap<String, String>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut t: serde_json::Map<String, serde_json::Value> = STRINGS
        .iter()
        .map(|(k, zh, en)| {
            (
                k.to_string(),
                serde_json::Value::from(if lang == Lang::Zh { *zh } else { *en }),
            )
        })
        .collect();
    for (k, v) in overrides {
        t.insert(k.clone(), serde_json::Value::from(v.as_str()));
    }
    t
}
