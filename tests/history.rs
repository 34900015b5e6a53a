//! Reading a company's `history.csv`: every class of error has a fixture
//! under tests/fixtures/history/NAME (a site holding
//! content/companies/acme/history.csv) and a snapshot here of what a user
//! sees (`Diagnostic::render`, every error of the file), and a good file
//! written with a BOM and CRLF line ends reads. A test is named for its
//! fixture.

mod common;

use std::path::Path;

use common::fixture;
use tearsheet::testing::model::date::Period;
use tearsheet::testing::model::metric::Growth;
use tearsheet::testing::read_history as read;

const FILE: &str = "content/companies/acme/history.csv";

fn errors(name: &str) -> String {
    let root = fixture(&format!("history/{name}"));
    match read(&root, Path::new(FILE)) {
        Ok(h) => panic!("{name} should not read: {h:?}"),
        Err(errors) => errors
            .iter()
            .map(|d| d.render())
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

macro_rules! error_fixture {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(errors(stringify!($name)));
        }
    )*};
}

error_fixture!(
    bad_figure,
    bad_figure_by_metric,
    ragged_rows,
    duplicate_period,
    duplicate_key,
    bad_period,
    bad_key,
    bad_first_cell,
    empty,
    not_utf8,
);

#[test]
fn bom_crlf() {
    let root = fixture("history/bom_crlf");
    let h = read(&root, Path::new(FILE)).unwrap_or_else(|e| panic!("{}", e[0].render()));
    let p = |s: &str| Period::parse(s).expect("period");
    assert_eq!(h.keys().collect::<Vec<_>>(), ["revenue", "gross_margin"]);
    let labels: Vec<String> = h.periods().iter().map(|p| p.label()).collect();
    assert_eq!(labels, ["2024Q3", "2024Q4", "2025Q3", "2025Q4E"]);
    let q4 = h.value("revenue", p("2025Q4")).expect("a figure");
    assert_eq!(
        (q4.figure.text.as_str(), q4.at.cell()),
        ("380亿", "E2".into())
    );
    assert!(h.value("gross_margin", p("2025Q3")).is_none());
    assert!(matches!(
        h.yoy("revenue", p("2025Q4")),
        Some(Growth::Computed(_))
    ));
    assert_eq!(h.yoy("gross_margin", p("2025Q3")), None);
}
