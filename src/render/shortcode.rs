//! Finds body-function calls in a run of text: `{{ metric(id="x") }}` and
//! `{{ chart(id="y") }}`. Any other `{{ ... }}` is left alone (an author
//! may be writing about templates). A malformed call of ours is an error.

use std::ops::Range;

/// A parsed call: its name and `key="value"` arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, String)>,
}

impl Call {
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One call found in a text, with its byte range in that text.
#[derive(Debug)]
pub struct Found {
    pub range: Range<usize>,
    pub call: Result<Call, String>,
}

pub const FUNCTIONS: &[&str] = &["metric", "chart"];

/// Every `{{ metric(...) }}` / `{{ chart(...) }}` in `text`.
pub fn scan(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    // `{` found with memchr, then `{{` checked: most text has none.
    while let Some(i) = text[from..].find('{') {
        let start = from + i;
        if !text[start + 1..].starts_with('{') {
            from = start + 1;
            continue;
        }
        let after = text[start + 2..].trim_start();
        let name_len = after
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if !FUNCTIONS.contains(&name) {
            from = start + 2;
            continue;
        }
        match text[start..].find("}}") {
            Some(end) => {
                let end = start + end + 2;
                out.push(Found {
                    range: start..end,
                    call: parse(&text[start + 2..end - 2]),
                });
                from = end;
            }
            None => {
                out.push(Found {
                    range: start..text.len(),
                    call: Err(format!(
                        "`{{{{ {name}(` is never closed: end it with `) }}}}`"
                    )),
                });
                break;
            }
        }
    }
    out
}

/// Parses `metric(id="revenue", show="yoy")` (whitespace allowed).
fn parse(inner: &str) -> Result<Call, String> {
    let s = inner.trim();
    let open = s
        .find('(')
        .ok_or_else(|| format!("`{s}` needs parentheses: metric(id=\"revenue\")"))?;
    let name = s[..open].trim().to_string();
    let args_text = s[open + 1..]
        .strip_suffix(')')
        .ok_or_else(|| format!("`{s}` is missing its closing `)`"))?;
    let mut args = Vec::new();
    let mut rest = args_text.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| format!("expected key=\"value\" in `{s}`"))?;
        let key = rest[..eq].trim().to_string();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("expected key=\"value\" in `{s}`"));
        }
        let v = rest[eq + 1..].trim_start();
        let quote = v
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'' || *c == '“' || *c == '”');
        let Some(q) = quote else {
            return Err(format!(
                "the value of `{key}` must be quoted: {key}=\"...\""
            ));
        };
        let closing = if q == '“' { '”' } else { q };
        let body = &v[q.len_utf8()..];
        let end = body
            .find(closing)
            .ok_or_else(|| format!("the value of `{key}` is never closed"))?;
        if args.iter().any(|(k, _): &(String, String)| *k == key) {
            return Err(format!("`{key}` is given twice"));
        }
        args.push((key, body[..end].to_string()));
        rest = body[end + closing.len_utf8()..].trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("expected `,` between arguments in `{s}`"));
        }
    }
    Ok(Call { name, args })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_and_ignores_other_braces() {
        let f = scan(
            "a {{ metric(id=\"revenue\", show='yoy') }} b {{ page.title }} {{chart(id=\"t\")}}",
        );
        assert_eq!(f.len(), 2);
        let c = f[0].call.as_ref().unwrap();
        assert_eq!(
            (c.name.as_str(), c.arg("id"), c.arg("show")),
            ("metric", Some("revenue"), Some("yoy"))
        );
        assert_eq!(f[1].call.as_ref().unwrap().arg("id"), Some("t"));
    }

    #[test]
    fn malformed_calls_are_errors() {
        assert!(scan("{{ metric(id=revenue) }}")[0].call.is_err());
        assert!(scan("{{ metric(id=\"a\" }}")[0].call.is_err());
        assert!(scan("{{ metric(id=\"a\")")[0].call.is_err());
        assert!(scan("{{ metric(id=\"a\" show=\"yoy\") }}")[0].call.is_err());
    }
}
