//! A part of a page that may stay on disk: in memory when the page was
//! just validated, or where the build's memo stored it (`memo`), read
//! only when a step needs it. A brief's figures are held this way, so a
//! build that reuses ten thousand stored pages reads the figures of only
//! the pages it renders or checks again.
//!
//! `site` reads what a step needs before the step runs
//! (`memo::Memo::read_figures`); a step then takes the value with
//! [`Held::get`], which is never called on a value not read (that would
//! be a bug in `site`, not bad input). Stored, a `Held` is where its bytes
//! are ([`Stored`]): the memo writes the value first and the page after.

use serde::{Deserialize, Serialize};

/// Where a value is in the memo's store: its bytes and their hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub at: u64,
    pub len: u32,
    pub hash: u64,
}

#[derive(Debug)]
pub enum Held<T> {
    /// Validated in this process, not stored yet.
    Here(T),
    /// In the store at `at`; `read` once a step asked for it.
    Stored { at: Stored, read: Option<T> },
}

impl<T> Held<T> {
    /// The value. Only called once `site` has read it.
    pub fn get(&self) -> &T {
        match self {
            Held::Here(v) | Held::Stored { read: Some(v), .. } => v,
            Held::Stored { read: None, .. } => {
                panic!("a stored value was used before it was read (see memo::Memo::read_figures)")
            }
        }
    }

    /// The value, to change it: no longer as stored (it is stored
    /// again). Only called once `site` has read it.
    pub fn get_mut(&mut self) -> &mut T {
        if let Held::Stored {
            read: read @ Some(_),
            ..
        } = self
        {
            if let Some(v) = read.take() {
                *self = Held::Here(v);
            }
        }
        match self {
            Held::Here(v) => v,
            Held::Stored { .. } => {
                panic!(
                    "a stored value was changed before it was read (see memo::Memo::read_figures)"
                )
            }
        }
    }

    /// Whether the value is in memory.
    pub fn is_read(&self) -> bool {
        !matches!(self, Held::Stored { read: None, .. })
    }

    /// Where the value is stored, if it is.
    pub fn stored(&self) -> Option<Stored> {
        match self {
            Held::Here(_) => None,
            Held::Stored { at, .. } => Some(*at),
        }
    }

    /// The value in memory, if it is.
    pub fn value(&self) -> Option<&T> {
        match self {
            Held::Here(v) | Held::Stored { read: Some(v), .. } => Some(v),
            Held::Stored { read: None, .. } => None,
        }
    }

    /// Notes the value read from the store.
    pub fn set_read(&mut self, v: T) {
        match self {
            Held::Here(_) => *self = Held::Here(v),
            Held::Stored { read, .. } => *read = Some(v),
        }
    }

    /// Notes that the value is now stored at `at`.
    pub fn store_at(&mut self, at: Stored) {
        let old = std::mem::replace(self, Held::Stored { at, read: None });
        if let (Held::Here(v) | Held::Stored { read: Some(v), .. }, Held::Stored { read, .. }) =
            (old, self)
        {
            *read = Some(v);
        }
    }
}

/// Stored, a `Held` is its place in the store; a value not stored yet
/// cannot be written (the memo stores values before pages).
impl<T> Serialize for Held<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Held::Stored { at, .. } => at.serialize(s),
            Held::Here(_) => Err(serde::ser::Error::custom(
                "a value held in memory is stored before the page that holds it",
            )),
        }
    }
}

impl<'de, T> Deserialize<'de> for Held<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Held::Stored {
            at: Stored::deserialize(d)?,
            read: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_value_is_written_as_its_place_and_read_back_unread() {
        let mut h = Held::Here(7u32);
        assert!(postcard::to_allocvec(&h).is_err());
        let at = Stored {
            at: 16,
            len: 3,
            hash: 9,
        };
        h.store_at(at);
        assert_eq!(h.get(), &7);
        let back: Held<u32> = postcard::from_bytes(&postcard::to_allocvec(&h).unwrap()).unwrap();
        assert_eq!(back.stored(), Some(at));
        assert!(!back.is_read());
        assert_eq!(back.value(), None);
    }
}
