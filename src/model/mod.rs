//! The source format (`docs/format.md`) as plain serde types, and the checked [`Curriculum`].
//!
//! Everything a diagnostic may need to point at is kept as [`Spanned`], so a rule can name the
//! exact line and column of a key or value. Questions are the one exception to "plain serde": the
//! file holds a loose [`RawQuestion`], which loading turns into a [`Question`] whose
//! [`QuestionKind`] cannot represent an impossible question.

mod course;
mod curriculum;
mod handout;
mod module;
mod question;
mod schema;
mod shared;
mod spanned;
mod training;

pub use course::{Blueprint, Certification, Course, ExamSettings, Revision};
pub use curriculum::{Curriculum, ModuleFile};
pub use handout::{Handout, HandoutFile};
pub use module::{
    Activity, ActivityKind, Criterion, Method, Module, Objective, Role, Section, Source, Term,
};
pub use question::{Bank, Question, QuestionKind, QuestionType, RawQuestion};
pub use shared::Shared;
pub use spanned::Spanned;
pub(crate) use spanned::reading_memo;
pub use toml::value::Datetime;
pub use training::{
    DEFAULT_SCALE, DEFAULT_SCALE_MESSAGES, Day, EvaluationSettings, Instructors, ItemKind, RunPlan,
    Schedule, ScheduleItem, Standard, format_clock, parse_clock,
};

/// The names of the fields a serde struct accepts, read from its `Deserialize` impl so the
/// unknown-key pass can never drift from the types.
pub fn field_names<'de, T: serde::Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field probe")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> serde::Deserializer<'de> for &mut Probe {
        type Error = Stop;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_the_serde_types() {
        assert_eq!(field_names::<Term>(), ["term", "definition"]);
        assert!(field_names::<Section>().contains(&"instructor_notes"));
        assert!(!field_names::<Course>().contains(&"questions_per_module"));
        assert!(field_names::<ExamSettings>().contains(&"questions_per_module"));
    }
}
