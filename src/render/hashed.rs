//! A view serialized straight into a [`Fingerprint`]: what a part's key is made from.
//!
//! A key needs only that two different views give different bytes, not that the bytes be read
//! back, so nothing is escaped or formatted: every value is a tag byte and its contents, each
//! string its length and its bytes, each sequence, map and struct closed by an end tag, each
//! struct field and enum variant named. Every value's bytes therefore end where the value does
//! (no value's bytes are the start of another's), and two views of one type that serialize
//! differently hash different bytes. JSON gave the same guarantee, at the cost of escaping every
//! character of every text and formatting every number.

use serde::ser::{self, Serialize};

use crate::cache::Fingerprint;

/// How many bytes are gathered before they are added to the digest: one update per value would
/// cost as much again as the serializing.
const BUFFER: usize = 1 << 16;

/// Adds `value`, as described above, to `print`.
pub(super) fn add(print: &mut Fingerprint, value: &impl Serialize) -> Result<(), String> {
    let mut hasher = Hasher {
        print,
        buf: Vec::with_capacity(BUFFER),
    };
    let done = value
        .serialize(&mut hasher)
        .map_err(|Error(message)| message);
    hasher.flush();
    done
}

struct Hasher<'p> {
    print: &'p mut Fingerprint,
    buf: Vec<u8>,
}

impl Hasher<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > BUFFER {
            self.flush();
            if bytes.len() > BUFFER {
                std::io::Write::write_all(self.print, bytes).expect("a digest takes any bytes");
                return;
            }
        }
        self.buf.extend_from_slice(bytes);
    }

    fn flush(&mut self) {
        std::io::Write::write_all(self.print, &self.buf).expect("a digest takes any bytes");
        self.buf.clear();
    }

    fn tag(&mut self, tag: u8) {
        self.put(&[tag]);
    }

    fn text(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.put(&(bytes.len() as u64).to_le_bytes());
        self.put(bytes);
    }

    fn fixed<const N: usize>(&mut self, tag: u8, bytes: [u8; N]) -> Result<(), Error> {
        self.tag(tag);
        self.put(&bytes);
        Ok(())
    }

    fn named(&mut self, tag: u8, name: &str) {
        self.text(tag, name.as_bytes());
    }
}

/// Why a view could not be serialized (a `Serialize` impl that fails).
#[derive(Debug)]
struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// The tags. Each compound value ends with [`END`], which no value starts with.
mod tag {
    pub(super) const BOOL: u8 = b'b';
    pub(super) const INT: u8 = b'i';
    pub(super) const UINT: u8 = b'u';
    pub(super) const INT128: u8 = b'I';
    pub(super) const UINT128: u8 = b'U';
    pub(super) const FLOAT: u8 = b'f';
    pub(super) const CHAR: u8 = b'c';
    pub(super) const STR: u8 = b's';
    pub(super) const BYTES: u8 = b'y';
    pub(super) const NONE: u8 = b'n';
    pub(super) const SOME: u8 = b'o';
    pub(super) const UNIT: u8 = b'0';
    pub(super) const UNIT_VARIANT: u8 = b'v';
    pub(super) const NEWTYPE_VARIANT: u8 = b'V';
    pub(super) const TUPLE_VARIANT: u8 = b'T';
    pub(super) const STRUCT_VARIANT: u8 = b'S';
    pub(super) const SEQ: u8 = b'[';
    pub(super) const MAP: u8 = b'{';
    pub(super) const STRUCT: u8 = b'(';
    pub(super) const FIELD: u8 = b'.';
    pub(super) const END: u8 = b'$';
}

impl ser::Serializer for &mut Hasher<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.fixed(tag::BOOL, [u8::from(v)])
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.fixed(tag::INT, v.to_le_bytes())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.fixed(tag::INT128, v.to_le_bytes())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.fixed(tag::UINT, v.to_le_bytes())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.fixed(tag::UINT128, v.to_le_bytes())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.fixed(tag::FLOAT, v.to_bits().to_le_bytes())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.fixed(tag::CHAR, u32::from(v).to_le_bytes())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(tag::STR, v.as_bytes());
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.text(tag::BYTES, v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.tag(tag::NONE);
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        self.tag(tag::SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(tag::UNIT);
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.named(tag::UNIT_VARIANT, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.named(tag::NEWTYPE_VARIANT, variant);
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(tag::SEQ);
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.named(tag::TUPLE_VARIANT, variant);
        self.tag(tag::SEQ);
        Ok(self)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(tag::MAP);
        Ok(self)
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        self.tag(tag::STRUCT);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.named(tag::STRUCT_VARIANT, variant);
        self.tag(tag::STRUCT);
        Ok(self)
    }
}

/// The compounds whose parts are values one after another: each part is the value's bytes,
/// and the compound ends with [`tag::END`].
macro_rules! sequence {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$trait for &mut Hasher<'_> {
            type Ok = ();
            type Error = Error;

            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }

            fn end(self) -> Result<(), Error> {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// The compounds of named fields: each field is its name and its value's bytes, and the
/// compound ends with [`tag::END`].
macro_rules! fields {
    ($($trait:ident),* $(,)?) => {$(
        impl ser::$trait for &mut Hasher<'_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.named(tag::FIELD, key);
                value.serialize(&mut **self)
            }

            fn end(self) -> Result<(), Error> {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for &mut Hasher<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut **self)
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Error> {
        self.tag(tag::END);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn digest(value: &impl Serialize) -> u128 {
        let mut print = Fingerprint::default();
        add(&mut print, value).unwrap();
        print.digest()
    }

    #[derive(Serialize)]
    struct Part<'a> {
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'a str>,
        items: Vec<&'a str>,
    }

    #[derive(Serialize)]
    enum Kind {
        Plain,
        Named(String),
        Pair(u8, u8),
        Full { a: u8 },
    }

    /// Views that JSON would tell apart, in each way a value can differ, hash apart.
    #[test]
    fn views_that_differ_in_any_way_hash_apart() {
        let part = |title, note, items| Part { title, note, items };
        let digests = [
            digest(&part("ab", None, vec!["c"])),
            digest(&part("a", None, vec!["bc"])),
            digest(&part("ab", Some("c"), vec![])),
            digest(&part("ab", None, vec!["c", ""])),
            digest(&part("ab", None, vec!["", "c"])),
            digest(&part("ab", None, vec![])),
            digest(&(Some(""), None::<&str>)),
            digest(&(None::<&str>, Some(""))),
            digest(&("", ())),
            digest(&Kind::Plain),
            digest(&Kind::Named(String::new())),
            digest(&Kind::Pair(1, 2)),
            digest(&Kind::Full { a: 1 }),
            digest(&(1u8, 2u8)),
            digest(&BTreeMap::from([("a", 1u8), ("b", 2)])),
            digest(&BTreeMap::from([("a", 2u8), ("b", 1)])),
            digest(&(1i32, 0u8)),
            digest(&(1u32, 0u8)),
            digest(&(true, 0u8)),
            digest(&(1.0f64, 0u8)),
            digest(&'a'),
            digest(&"a"),
            digest(&"x".repeat(BUFFER + 1)),
            digest(&"x".repeat(BUFFER)),
        ];
        for (i, a) in digests.iter().enumerate() {
            for (j, b) in digests.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "views {i} and {j} hash alike");
            }
        }
    }

    /// The bytes are the ones described, however they fall into the buffer: a value that
    /// fills it, one longer than it, and small ones around them.
    #[test]
    fn the_bytes_hashed_are_the_ones_described_whatever_the_buffer() {
        for len in [0, 9, BUFFER - 20, BUFFER, BUFFER + 1, 3 * BUFFER + 5] {
            let long = "y".repeat(len);
            let view = ("ab", long.as_str(), 7u8);
            let mut bytes = vec![tag::SEQ, tag::STR];
            bytes.extend(2u64.to_le_bytes());
            bytes.extend(b"ab");
            bytes.push(tag::STR);
            bytes.extend((len as u64).to_le_bytes());
            bytes.extend(long.as_bytes());
            bytes.push(tag::UINT);
            bytes.extend(7u64.to_le_bytes());
            bytes.push(tag::END);
            let mut expected = Fingerprint::default();
            std::io::Write::write_all(&mut expected, &bytes).unwrap();
            assert_eq!(digest(&view), expected.digest(), "a string of {len} bytes");
        }
    }
}
