//! `check:` expressions: `adj_net_profit / revenue`, `(a + b) * 2`,
//! `revenue.prior`. A small parser of our own so that every error points
//! at the column where the expression goes wrong.
//!
//! Grammar: `expr = term (('+'|'-') term)*`, `term = unary (('*'|'/')
//! unary)*`, `unary = '-' unary | atom`, `atom = number | ref | '('
//! expr ')'`, where `ref` is a metric key optionally followed by `.yoy`,
//! `.qoq` or `.prior`, and a number may end in `%`.

use std::fmt;

use crate::model::metric::MetricRef;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Expr {
    Number(f64),
    /// A metric reference and the character offset where it starts.
    Ref(MetricRef, usize),
    Neg(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Add => "+",
            Op::Sub => "−",
            Op::Mul => "×",
            Op::Div => "/",
        })
    }
}

/// A syntax error: what went wrong and at which character (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let chars: Vec<char> = src.chars().collect();
        let mut p = Parser {
            chars: &chars,
            i: 0,
        };
        let e = p.expr()?;
        p.skip_ws();
        if p.i < chars.len() {
            return Err(p.error(1, format!("unexpected `{}`", chars[p.i])));
        }
        Ok(e)
    }

    /// Every metric reference, with its offset.
    pub fn refs(&self) -> Vec<(&MetricRef, usize)> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<(&'a MetricRef, usize)>) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(r, at) => out.push((r, *at)),
            Expr::Neg(e) => e.collect_refs(out),
            Expr::Bin(a, _, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
        }
    }
}

struct Parser<'a> {
    chars: &'a [char],
    i: usize,
}

impl Parser<'_> {
    fn error(&self, len: usize, message: String) -> ExprError {
        ExprError {
            offset: self.i,
            len,
            message,
        }
    }

    fn skip_ws(&mut self) {
        while self.i < self.chars.len() && self.chars[self.i].is_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.i).copied()
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.term()?;
        while let Some(c) = self.peek() {
            let op = match c {
                '+' => Op::Add,
                '-' | '−' => Op::Sub,
                _ => break,
            };
            self.i += 1;
            let right = self.term()?;
            left = Expr::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        while let Some(c) = self.peek() {
            let op = match c {
                '*' | '×' => Op::Mul,
                '/' | '÷' => Op::Div,
                _ => break,
            };
            self.i += 1;
            let right = self.unary()?;
            left = Expr::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if matches!(self.peek(), Some('-' | '−')) {
            self.i += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        match self.peek() {
            None => Err(self.error(
                1,
                "the expression ends where a metric key or number was expected".into(),
            )),
            Some('(') => {
                let open = self.i;
                self.i += 1;
                let e = self.expr()?;
                if self.peek() == Some(')') {
                    self.i += 1;
                    Ok(e)
                } else {
                    Err(ExprError {
                        offset: open,
                        len: 1,
                        message: "this `(` is never closed".into(),
                    })
                }
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.i;
                while self.i < self.chars.len()
                    && (self.chars[self.i].is_ascii_digit() || self.chars[self.i] == '.')
                {
                    self.i += 1;
                }
                let text: String = self.chars[start..self.i].iter().collect();
                let mut v: f64 = text.parse().map_err(|_| ExprError {
                    offset: start,
                    len: self.i - start,
                    message: format!("`{text}` is not a number"),
                })?;
                if self.chars.get(self.i) == Some(&'%') {
                    self.i += 1;
                    v /= 100.0;
                }
                Ok(Expr::Number(v))
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let start = self.i;
                while self.i < self.chars.len()
                    && (self.chars[self.i].is_alphanumeric()
                        || matches!(self.chars[self.i], '_' | '.'))
                {
                    self.i += 1;
                }
                let text: String = self.chars[start..self.i].iter().collect();
                let r = MetricRef::parse(&text).map_err(|message| ExprError {
                    offset: start,
                    len: self.i - start,
                    message,
                })?;
                Ok(Expr::Ref(r, start))
            }
            Some(c) => Err(self.error(
                1,
                format!("unexpected `{c}`: expected a metric key, a number or `(`"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_precedence() {
        let e = Expr::parse("a + b * 2").unwrap();
        assert!(matches!(e, Expr::Bin(_, Op::Add, _)));
        let e = Expr::parse("(a + b) / c.prior").unwrap();
        let refs: Vec<String> = e.refs().iter().map(|(r, at)| format!("{r}@{at}")).collect();
        assert_eq!(refs, ["a@1", "b@5", "c.prior@10"]);
        assert_eq!(
            Expr::parse("-a").unwrap(),
            Expr::Neg(Box::new(Expr::Ref(MetricRef::parse("a").unwrap(), 1)))
        );
        assert_eq!(Expr::parse("50%").unwrap(), Expr::Number(0.5));
    }

    #[test]
    fn errors_point_at_the_column() {
        let e = Expr::parse("a / ").unwrap_err();
        assert_eq!(e.offset, 4);
        let e = Expr::parse("a / (b + c").unwrap_err();
        assert_eq!(
            (e.offset, e.message.as_str()),
            (4, "this `(` is never closed")
        );
        let e = Expr::parse("a $ b").unwrap_err();
        assert_eq!(e.offset, 2);
        let e = Expr::parse("a.growth").unwrap_err();
        assert_eq!(e.offset, 0);
    }
}
