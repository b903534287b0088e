//! [`Shared`]: a text the model and the pages' views hold as one allocation.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Markdown body as read (a section's `body`), held once: the views that print it as written
/// share it instead of copying it, so a large course is not held twice.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Shared(Arc<str>);

impl Shared {
    /// The allocation itself, for a view to share.
    pub fn arc(&self) -> &Arc<str> {
        &self.0
    }
}

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<String> for Shared {
    fn from(text: String) -> Self {
        Shared(text.into())
    }
}

impl From<&str> for Shared {
    fn from(text: &str) -> Self {
        Shared(text.into())
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Shared::from)
    }
}
