//! UI strings in Chinese and English, chosen per page by its `lang`: one
//! table of every string the site shows around the author's content
//! (navigation, `<title>`, headings, labels, the search box, pagination).
//!
//! The keys are a closed set ([`Key`]); site.yaml's `strings:` replaces
//! any of them per language, and an unknown key there is an error. A
//! build makes one [`Strings`] from the defaults and those replacements;
//! templates receive its table for the page's language as `t`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::lang::Lang;

/// Declares [`Key`] and the default texts from one list of
/// `Variant "name" "zh" "en"`.
macro_rules! strings {
    ($($variant:ident $name:literal $zh:literal $en:literal,)*) => {
        /// A UI string. `name` is its key in `t` and in site.yaml's
        /// `strings:`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[allow(clippy::enum_variant_names)] // `KeyFigures` is the UI's own name
        pub enum Key {
            $($variant,)*
        }

        impl Key {
            /// Every key, in table order.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// The key as templates and site.yaml write it: `companies`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                }
            }

            /// The built-in text.
            pub fn default_text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Key::$variant, Lang::Zh) => $zh,
                      (Key::$variant, Lang::En) => $en,)*
                }
            }
        }
    };
}

strings! {
    Home "home" "首页" "Home",
    Skip "skip" "跳到正文" "Skip to content",
    KeyFigures "key_figures" "关键数据" "Key figures",
    Charts "charts" "图表" "Charts",
    AllMetrics "all_metrics" "全部指标" "All metrics",
    Metric "metric" "指标" "Metric",
    Value "value" "数值" "Value",
    Prior "prior" "上年同期" "Year earlier",
    Derived "derived" "由数值与同比推算" "derived from value and YoY",
    Yoy "yoy" "同比" "YoY",
    Qoq "qoq" "环比" "QoQ",
    Rating "rating" "评级" "Rating",
    TargetPrice "target_price" "目标价" "Target price",
    Upside "upside" "上行空间" "Upside",
    Previous "previous" "此前" "previously",
    By "by" "来自" "by",
    Sources "sources" "来源" "Sources",
    Disclaimer "disclaimer" "免责声明" "Disclaimer",
    Published "published" "发布于" "Published",
    Authors "authors" "作者" "Authors",
    Period "period" "报告期" "Period",
    Ticker "ticker" "代码" "Ticker",
    Sector "sector" "行业" "Sector",
    Tags "tags" "标签" "Tags",
    LatestBriefs "latest_briefs" "最新简报" "Latest briefs",
    NoBriefs "no_briefs" "还没有简报。" "No briefs yet.",
    Note "note" "注" "Note",
    ChartData "chart_data" "图表数据" "Chart data",
    Nav "nav" "主导航" "Main",
    License "license" "执业编号" "licence",
    RestatedFrom "restated_from" "重述，原为" "restated from",
    Companies "companies" "公司" "Companies",
    Company "company" "公司" "Company",
    Search "search" "搜索" "Search",
    SearchPlaceholder "search_placeholder" "搜索公司、代码、标签…" "Search companies, tickers, tags…",
    SearchEmpty "search_empty" "没有找到匹配的简报。" "No briefs match.",
    SearchLoading "search_loading" "正在载入搜索索引…" "Loading the search index…",
    SearchUnavailable "search_unavailable" "搜索暂时不可用。" "Search is unavailable.",
    SearchServed "search_served" "从本地文件打开时只搜索标题、公司与摘要；全文搜索需要通过网站服务器访问（例如 tearsheet serve）。" "Opened from disk, search covers titles, companies and summaries only; full-text search needs the site served (for example by tearsheet serve).",
    SearchFilters "search_filters" "筛选" "Filters",
    SearchAll "search_all" "全部" "All",
    SearchTag "search_tag" "标签" "Tag",
    SearchLang "search_lang" "语言" "Language",
    SearchMoreOne "search_more_one" "另有 {n} 条结果，请输入更多关键词缩小范围。" "{n} more result; type more to narrow them down.",
    SearchMore "search_more" "另有 {n} 条结果，请输入更多关键词缩小范围。" "{n} more results; type more to narrow them down.",
    PreviousPage "previous_page" "上一页" "Previous",
    NextPage "next_page" "下一页" "Next",
    Page "page" "第" "Page",
    Of "of" "页，共" "of",
    Pagination "pagination" "分页" "Pagination",
    PageStatus "page_status" "第 {n} / {total} 页" "Page {n} of {total}",
    BriefCount "brief_count" "{n} 篇简报" "{n} brief",
    BriefsCount "briefs_count" "{n} 篇简报" "{n} briefs",
    OnThisPage "on_this_page" "本页内容" "On this page",
    Latest "latest" "最新" "Latest",
    History "history" "评级与目标价" "Rating and target price",
    Trends "trends" "指标走势" "Metrics over time",
    Briefs "briefs" "简报" "Briefs",
    LatestOf "latest_of" "最近 {n} 项，共 {total} 项" "Latest {n} of {total}",
    FiscalYearEnd "fiscal_year_end" "财年截至每年 {month} 月" "Fiscal year ends in {month}",
    AdsOne "ads_one" "1 股 ADS（{ticker}）= {n} 股普通股" "1 ADS ({ticker}) = {n} ordinary share",
    Ads "ads" "1 股 ADS（{ticker}）= {n} 股普通股" "1 ADS ({ticker}) = {n} ordinary shares",
    TargetSteps "target_steps" "目标价（至下一份简报前不变）" "Target price (holds until the next brief)",
    RatingChange "rating_change" "评级调整" "Rating change",
    Restatements "restatements" "数据重述" "Restated figures",
    NotFound "not_found" "找不到这个页面" "Page not found",
    NotFoundHelp "not_found_help" "链接可能已失效，或者页面已经移动、删除。" "The link may be broken, or the page may have moved or been removed.",
    BackHome "back_home" "返回首页" "Go to the home page",
    Date "date" "日期" "Date",
    Brief "brief" "简报" "Brief",
    Change "change" "变动" "Change",
    Consensus "consensus" "一致预期" "Consensus",
    Surprise "surprise" "预期差" "Surprise",
    Beat "beat" "超预期" "beat",
    InLine "in_line" "符合预期" "in line",
    Miss "miss" "低于预期" "miss",
    Guided "guided" "此前指引" "Guided",
    AboveGuidance "above_guidance" "高于指引" "above guidance",
    WithinGuidance "within_guidance" "符合指引" "within guidance",
    BelowGuidance "below_guidance" "低于指引" "below guidance",
    Guidance "guidance" "业绩指引" "Guidance",
    GuidanceFor "guidance_for" "指引期间" "For",
    Sparkline "sparkline" "{label}，近 {n} 期走势" "{label} over the last {n} periods",
    Price "price" "股价" "Share price",
    UpsideFrom "upside_from" "（较{date}股价{price}）" "from {price} ({date})",
    UpsideFromUndated "upside_from_undated" "（较股价{price}）" "from {price}",
    UpsidesFrom "upsides_from" "上行空间按{date}股价{price}计算。" "Upsides from the share price of {price} on {date}.",
    UpsidesFromUndated "upsides_from_undated" "上行空间按股价{price}计算。" "Upsides from the share price of {price}.",
    Ratings "ratings" "各机构观点" "Views by house",
    House "house" "机构" "House",
    Target "target" "目标价" "Target",
    PreviousTarget "previous_target" "此前目标价" "Previous target",
    MeanTarget "mean_target" "平均目标价" "Mean target",
    MeanOf "mean_of" "{n} 家机构最新目标价的平均值" "the mean of {n} houses' latest targets",
    MixedCurrencyOne "mixed_currency_one" "另有 {n} 个目标价以其他货币计，未计入平均。" "{n} target in another currency is not in the mean.",
    MixedCurrencies "mixed_currencies" "另有 {n} 个目标价以其他货币计，未计入平均。" "{n} targets in other currencies are not in the mean.",
    Forecasts "forecasts" "盈利预测" "Forecasts",
    Actual "actual" "实际" "actual",
    ForecastEstimate "forecast_estimate" "预测" "estimate",
    EstimateLegend "estimate_legend" "带 E 的期间为预测值，其余为已公布的实际值。" "Periods marked E are estimates; the others are reported.",
    Growth "growth" "增速" "Growth",
    ChangePp "change_pp" "变动" "Change",
    ChartCurrent "chart_current" "本期" "This period",
    ChartDerived "chart_derived" "上年同期（推算）" "Year earlier (derived)",
    RightAxis "right_axis" "（右轴）" " (right axis)",
    Total "total" "合计" "Total",
    NoData "no_data" "暂无数据" "No data",
    DownloadSvg "download_svg" "下载 SVG" "Download SVG",
    Estimate "estimate" "预测" "Estimate",
    EstimateNote "estimate_note" "E = 预测" "E = estimate",
    NotMeaningful "not_meaningful" "不适用" "n.m.",
    TurnedProfitable "turned_profitable" "扭亏" "turned profitable",
    TurnedLoss "turned_loss" "转亏" "turned to a loss",
    AxisFrom "axis_from" "纵轴自 {v} 起" "axis from {v}",
    ValuesInTable "values_in_table" "部分数值未标注，见图表数据" "Some values are not written on the chart: see Chart data",
    Unit "unit" "单位：{u}" "Unit: {u}",
}

impl Key {
    /// The key named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// Every key's name, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Key::ALL.iter().map(|k| k.name())
    }
}

/// The message of an unknown key in site.yaml's `strings:`; site_config
/// recognises it by this prefix.
pub(crate) const UNKNOWN_KEY: &str = "unknown UI string `";

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let name = Cow::<str>::deserialize(d)?;
        Key::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("{UNKNOWN_KEY}{name}`")))
    }
}

/// The site's replacements of UI strings, per language (`strings:` in
/// site.yaml).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default)]
    pub zh: BTreeMap<Key, String>,
    #[serde(default)]
    pub en: BTreeMap<Key, String>,
}

/// Every UI string of a build, in both languages: the defaults with the
/// site's replacements applied. Made once per build.
#[derive(Debug, Clone)]
pub(crate) struct Strings {
    zh: Vec<Cow<'static, str>>,
    en: Vec<Cow<'static, str>>,
}

impl Default for Strings {
    fn default() -> Strings {
        Strings::new(&Overrides::default())
    }
}

impl Strings {
    pub(crate) fn new(overrides: &Overrides) -> Strings {
        let one = |lang: Lang, over: &BTreeMap<Key, String>| -> Vec<Cow<'static, str>> {
            Key::ALL
                .iter()
                .map(|&k| match over.get(&k) {
                    Some(s) => Cow::Owned(s.clone()),
                    None => Cow::Borrowed(k.default_text(lang)),
                })
                .collect()
        };
        Strings {
            zh: one(Lang::Zh, &overrides.zh),
            en: one(Lang::En, &overrides.en),
        }
    }

    /// The text of `key` in `lang`.
    pub(crate) fn get(&self, lang: Lang, key: Key) -> &str {
        let texts = match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        };
        // Made with one text per key.
        texts.get(key as usize).map_or("", |s| s.as_ref())
    }

    /// The whole table for one language, as the template value `t`.
    pub(crate) fn table(&self, lang: Lang) -> serde_json::Map<String, serde_json::Value> {
        Key::ALL
            .iter()
            .map(|&k| {
                (
                    k.name().to_string(),
                    serde_json::Value::from(self.get(lang, k)),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_overrides_apply_per_language() {
        let mut names: Vec<&str> = Key::names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
        let mut o = Overrides::default();
        o.zh.insert(Key::Companies, "发行人".into());
        let s = Strings::new(&o);
        assert_eq!(s.get(Lang::Zh, Key::Companies), "发行人");
        assert_eq!(s.get(Lang::En, Key::Companies), "Companies");
        assert_eq!(s.get(Lang::Zh, Key::Tags), "标签");
        assert_eq!(s.table(Lang::Zh)["companies"], "发行人");
    }

    /// Every name after `needle` (not inside a longer name) up to the
    /// next `end` in `text`.
    fn names_after<'a>(text: &'a str, needle: &str, end: char) -> Vec<&'a str> {
        text.match_indices(needle)
            .filter(|(i, _)| {
                !text[..*i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            })
            .filter_map(|(i, _)| {
                let rest = &text[i + needle.len()..];
                rest.find(end).map(|e| &rest[..e])
            })
            .collect()
    }

    /// The key set is closed: every `t.KEY` of the built-in templates is
    /// a [`Key`] (the source names keys by [`Key`] itself).
    #[test]
    fn every_key_used_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        let templates = std::fs::read_dir(root.join("templates")).expect("templates");
        for entry in templates.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for name in names_after(&text, "t.", ' ') {
                let name = name.trim_end_matches(['}', '|', ')']);
                if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !name.is_empty() {
                    used.push((entry.path(), name.to_string()));
                }
            }
        }
        assert!(used.len() > 40, "found {} uses", used.len());
        for (file, name) in used {
            assert!(
                Key::from_name(&name).is_some(),
                "{}: no UI string `{name}`",
                file.display()
            );
        }
    }
}
