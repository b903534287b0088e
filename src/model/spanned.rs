//! [`Spanned`]: a value with the byte range it was read from.

use std::ops::{Deref, Range};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value and where in its file it was written. It dereferences to the value, so code past
/// the checker reads plain values and asks for [`Spanned::span`] only to place a diagnostic.
/// Comparisons look at the value only, as toml's own `Spanned` does.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    /// A value placed at `span`; `0..0` for a default that no file wrote.
    pub fn new(span: Range<usize>, value: T) -> Self {
        Spanned { span, value }
    }

    /// The byte range of the value in its file.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The value.
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The value, without its place.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: std::fmt::Display> std::fmt::Display for Spanned<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: PartialOrd> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: std::hash::Hash> std::hash::Hash for Spanned<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

thread_local! {
    /// Whether this thread is reading the parsed-module memo, which writes each span beside
    /// its value, rather than TOML, whose deserializer tells spans its own way.
    static FROM_MEMO: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read` with every [`Spanned`] it deserializes read as the memo writes it: `(start, end,
/// value)`. Only `load::memo` reads that way; every other deserializer is toml's.
pub(crate) fn reading_memo<R>(read: impl FnOnce() -> R) -> R {
    crate::flag::raised(&FROM_MEMO, read)
}

/// Written for the parsed-module memo only (no source format writes spans): `(start, end,
/// value)`.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.span.start, self.span.end, &self.value).serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if FROM_MEMO.with(std::cell::Cell::get) {
            let (start, end, value) = <(usize, usize, T)>::deserialize(deserializer)?;
            return Ok(Spanned {
                span: start..end,
                value,
            });
        }
        // toml's own wrapper is what its deserializer knows how to fill with a span.
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned {
            span: spanned.span(),
            value: spanned.into_inner(),
        })
    }
}

/// A spanned value is written as the value itself.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}
