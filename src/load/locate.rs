//! Where things are in a YAML text: the line and column of every mapping
//! key and value, by path (`metrics.revenue.yoy`, `charts[1].metrics[0]`).
//!
//! serde gives positions only for errors it raises itself; checks that run
//! after deserialization (an unknown metric in a chart, a series of the
//! wrong length) ask this index instead, so that no diagnostic is ever
//! without a line. It is built only when a diagnostic needs it, from the
//! event stream of `saphyr-parser` (which carries spans; serde_yaml's
//! does not).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// A position in the YAML text: 1-based line, 1-based column (chars), and
/// the length in characters of the scalar there (0 for collections).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YamlPos {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

#[derive(Debug, Default)]
pub(crate) struct YamlIndex {
    keys: HashMap<String, YamlPos>,
    values: HashMap<String, YamlPos>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl YamlIndex {
    pub(crate) fn build(text: &str) -> YamlIndex {
        let mut index = YamlIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let pos = YamlPos {
                line: span.start.line(),
                col: span.start.col() + 1,
                len: span.end.index().saturating_sub(span.start.index()),
            };
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { path, key }) = stack.last_mut() {
                        if key.is_none() {
                            let full = join(path, &value);
                            index.keys.insert(full.clone(), pos);
                            *key = Some(full);
                            continue;
                        }
                    }
                    let p = index.value_path(&mut stack);
                    index.values.insert(p, pos);
                }
                Event::Alias(_) => {
                    let p = index.value_path(&mut stack);
                    index.values.insert(p, pos);
                }
                Event::MappingStart(..) => {
                    let p = index.value_path(&mut stack);
                    index
                        .values
                        .entry(p.clone())
                        .or_insert(YamlPos { len: 0, ..pos });
                    stack.push(Frame::Map { path: p, key: None });
                }
                Event::SequenceStart(..) => {
                    let p = index.value_path(&mut stack);
                    index
                        .values
                        .entry(p.clone())
                        .or_insert(YamlPos { len: 0, ..pos });
                    stack.push(Frame::Seq { path: p, index: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        index
    }

    /// The path of the value that starts now, advancing the parent.
    fn value_path(&self, stack: &mut [Frame]) -> String {
        match stack.last_mut() {
            None => String::new(),
            Some(Frame::Map { key, path }) => key.take().unwrap_or_else(|| path.clone()),
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                p
            }
        }
    }

    /// Position of the value at `path`, or of the nearest ancestor known.
    pub(crate) fn value(&self, path: &str) -> YamlPos {
        self.lookup(path, true)
    }

    /// Position of the key of `path` (falls back like [`YamlIndex::value`]).
    pub(crate) fn key(&self, path: &str) -> YamlPos {
        self.lookup(path, false)
    }

    fn lookup(&self, path: &str, value: bool) -> YamlPos {
        let mut p = path.to_string();
        loop {
            let hit = if value {
                self.values.get(&p).or_else(|| self.keys.get(&p))
            } else {
                self.keys.get(&p).or_else(|| self.values.get(&p))
            };
            if let Some(pos) = hit {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => {
                    return YamlPos {
                        line: 1,
                        col: 1,
                        len: 0,
                    }
                }
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_block_and_flow_positions() {
        let text = "title: x\nmetrics:\n  revenue: { label: 营收, value: 350亿, yoy: 13.1% }\ncharts:\n  - id: a\n    metrics: [revenue, profit]\n";
        let ix = YamlIndex::build(text);
        assert_eq!(
            ix.key("metrics.revenue"),
            YamlPos {
                line: 3,
                col: 3,
                len: 7
            }
        );
        assert_eq!(
            ix.value("metrics.revenue.value"),
            YamlPos {
                line: 3,
                col: 32,
                len: 4
            }
        );
        assert_eq!(
            ix.value("charts[0].metrics[1]"),
            YamlPos {
                line: 6,
                col: 24,
                len: 6
            }
        );
        assert_eq!(
            ix.value("charts[0].id"),
            YamlPos {
                line: 5,
                col: 9,
                len: 1
            }
        );
        // An unknown path falls back to its nearest ancestor.
        assert_eq!(ix.value("metrics.revenue.nope").line, 3);
        assert_eq!(
            ix.value("nothing.here"),
            YamlPos {
                line: 1,
                col: 1,
                len: 0
            }
        );
    }
}
