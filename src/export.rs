//! Single-file reports: a built brief page turned into one self-contained
//! HTML file — stylesheet inlined, images as data URIs, scripts removed,
//! and links to other pages made absolute on `base_url` — so it opens
//! correctly from an e-mail attachment or a file share with no request
//! leaving it.

use std::path::Path;

use crate::model::urls;

/// Makes the page at `page_url` (root-relative, `briefs/x/`) of the built
/// site in `site` self-contained. `base_url` ends in `/`.
pub(crate) fn self_contained(html: &str, site: &Path, page_url: &str, base_url: &str) -> String {
    let mut out = strip_scripts(html);
    out = inline_stylesheets(&out, site, page_url);
    out = rewrite_attr(&out, "src", |v| {
        data_uri(site, page_url, v).unwrap_or_else(|| absolute(base_url, page_url, v))
    });
    out = rewrite_attr(&out, "href", |v| {
        if v.starts_with('#') {
            v.to_string()
        } else if v.ends_with(".svg") && !v.contains("://") {
            data_uri(site, page_url, v).unwrap_or_else(|| absolute(base_url, page_url, v))
        } else {
            absolute(base_url, page_url, v)
        }
    });
    out
}

fn strip_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</script>") {
            Some(end) => rest = &rest[i + end + "</script>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces `<link rel="stylesheet" href="X">` with `<style>` holding X.
fn inline_stylesheets(html: &str, site: &Path, page_url: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<link rel=\"stylesheet\" href=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "<link rel=\"stylesheet\" href=\"".len()..];
        let Some(q) = after.find('"') else { break };
        let href = &after[..q];
        let Some(close) = after.find('>') else { break };
        match std::fs::read_to_string(resolve(site, page_url, href)) {
            Ok(css) => out.push_str(&format!(
                "<style>\n{}\n</style>",
                css.replace("</style", "<\\/style")
            )),
            Err(_) => {
                out.push_str(&rest[i..i + "<link rel=\"stylesheet\" href=\"".len() + close + 1])
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Applies `f` to the value of every ` NAME="..."` attribute that is a
/// relative URL.
fn rewrite_attr(html: &str, name: &str, f: impl Fn(&str) -> String) -> String {
    let needle = format!(" {name}=\"");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let start = i + needle.len();
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('"') else {
            rest = &rest[start..];
            break;
        };
        let value = &rest[start..start + end];
        let relative = !(value.contains("://")
            || value.starts_with("data:")
            || value.starts_with("mailto:")
            || value.is_empty());
        out.push_str(&if relative {
            f(value)
        } else {
            value.to_string()
        });
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    out
}

/// The output file a relative URL from `page_url` points at.
fn resolve(site: &Path, page_url: &str, href: &str) -> std::path::PathBuf {
    let joined = urls::resolve(page_url, href);
    if joined.is_empty() || joined.ends_with('/') {
        site.join(percent_decode(&urls::index_file(&joined)))
    } else {
        site.join(percent_decode(&joined))
    }
}

fn absolute(base_url: &str, page_url: &str, href: &str) -> String {
    let fragment = href.find('#').map(|i| &href[i..]).unwrap_or("");
    format!("{base_url}{}{fragment}", urls::resolve(page_url, href))
}

fn data_uri(site: &Path, page_url: &str, href: &str) -> Option<String> {
    let path = resolve(site, page_url, href);
    let bytes = std::fs::read(&path).ok()?;
    let mime = match path.extension()?.to_str()? {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => return None,
    };
    Some(format!("data:{mime};base64,{}", base64(&bytes)))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_encodes() {
        assert_eq!(
            absolute("https://e.org/r/", "briefs/x/", "../../tags/ai/#t"),
            "https://e.org/r/tags/ai/#t"
        );
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(
            strip_scripts("a<script>x</script>b<script src=y></script>c"),
            "abc"
        );
    }
}
