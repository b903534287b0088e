//! A Canvas-compatible QTI 1.2 package, laid out as text2qti and Canvas's own export lay it out:
//! `imsmanifest.xml`, an empty `non_cc_assessments/`, and per assessment a folder named by its
//! identifier holding `<id>.xml` (the questions) and `assessment_meta.xml` (Canvas's settings).
//!
//! **One assessment per module (and bank), not one section per module.** Canvas turns every
//! assessment of a package into its own quiz *and* its own question bank named after it, so a
//! module's knowledge check arrives as a ready practice quiz and each module's exam bank as a bank
//! to draw the final exam from, the way Moodle gets one category per module. Nested sections, by
//! contrast, import as question groups, which Canvas treats as "pick N at random" pools inside
//! one quiz (and New Quizzes flattens): every learner would see a different, partial check. An
//! exam form is one assessment whose items keep the printed form's order.
//!
//! Identifiers derive from the course, bank, module and question ids (`cp_<course>_…`), and the
//! manifest, the assessment and `assessment_meta.xml` use the same one, or Canvas silently
//! ignores the settings (text2qti#18). The zip's entries have a fixed order and timestamp
//! (1980-01-01), so the same source gives the same bytes.
//!
//! QTI 1.2 for Canvas has no place for an essay's rubric or model answer: those are warnings.

mod item;

use std::io::{self, Write};
use std::sync::Arc;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::xml::{Xml, document, element, finish};
use super::{ExportError, Group, Keep, Quiz, Warnings, write_error};
use crate::model::Bank;
use crate::render::{ReadAhead, WriteSeek};

const QTI_NS: &str = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2";
const QTI_SCHEMA: &str = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2 \
                          http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd";
const CP_NS: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1";
const CP_SCHEMA: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 \
                         http://www.imsglobal.org/xsd/imscp_v1p1.xsd \
                         http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource \
                         http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd \
                         http://www.imsglobal.org/xsd/imsmd_v1p2 \
                         http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd";
const CANVAS_NS: &str = "http://canvas.instructure.com/xsd/cccv1p0";
const CANVAS_SCHEMA: &str =
    "http://canvas.instructure.com/xsd/cccv1p0 https://canvas.instructure.com/xsd/cccv1p0.xsd";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One assessment of the package: a group and the identifier derived for it.
struct Assessment<'q, 'a> {
    /// The module's bank, or the exam form.
    group: &'q Group<'a>,
    /// `cp_<course>_<path>`, `/` as `_`: the manifest, the assessment and its settings must
    /// all use this one, or Canvas ignores the settings.
    id: &'q str,
}

/// The zipped package, written to `out`: the manifest, then per assessment its settings and its
/// questions, each group's questions rendered as the writer comes to them. A zip goes back to
/// finish each entry's header, so `out` is a file or a buffer. With `keep`, the two entries of a
/// group the last build wrote from the same group, at the same place, are copied from its
/// package as they were compressed.
pub(super) fn write<'a>(
    quiz: &Quiz<'a>,
    groups: &mut dyn Iterator<Item = Arc<Group<'a>>>,
    warnings: &mut Warnings,
    out: &mut dyn WriteSeek,
    mut keep: Option<&mut Keep<'_>>,
) -> Result<(), ExportError> {
    let base = format!("cp_{}", quiz.course.id.get_ref());
    let ids: Vec<String> = quiz
        .parts
        .iter()
        .map(|part| format!("{base}_{}", part.path.replace('/', "_")))
        .collect();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    // Each file is compressed into the zip as soon as it is made: the package never holds the
    // course's questions, and only the file being made is held uncompressed.
    let mut zip = ZipWriter::new(Fused {
        out,
        failed: false,
        at: None,
    });
    let add = |zip: &mut ZipWriter<_>, name: &str, bytes: io::Result<Vec<u8>>| {
        let bytes = bytes.map_err(write_error)?;
        zip.start_file(name, options).map_err(write_error)?;
        zip.write_all(&bytes).map_err(write_error)
    };
    add(&mut zip, "imsmanifest.xml", manifest(quiz, &base, &ids))?;
    zip.add_directory("non_cc_assessments/", options.unix_permissions(0o755))
        .map_err(write_error)?;
    let mut last: Option<Option<zip::ZipArchive<ReadAhead>>> = None;
    for (position, (id, group)) in ids.iter().zip(groups).enumerate() {
        let names = [
            format!("{id}/assessment_meta.xml"),
            format!("{id}/{id}.xml"),
        ];
        let key = keep.as_deref().map(|keep| keep.key(&group, Some(position)));
        if let (Some(keep), Some(key)) = (keep.as_deref_mut(), key)
            && let Some(losses) = keep.losses(key)
            && let Some(archive) = last
                .get_or_insert_with(|| {
                    let file = ReadAhead::new(keep.last()?).ok()?;
                    zip::ZipArchive::new(file).ok()
                })
                .as_mut()
            && names
                .iter()
                .all(|name| archive.index_for_name(name).is_some())
        {
            for name in &names {
                let entry = archive.by_name(name).map_err(write_error)?;
                zip.raw_copy_file(entry).map_err(write_error)?;
            }
            // Entries, not a run of bytes: no place to record.
            keep.copied(key, (0, 0), losses, &group, warnings);
            continue;
        }
        warnings.take_group();
        let assessment = Assessment { group: &group, id };
        add(
            &mut zip,
            &names[0],
            meta(quiz, &base, &assessment, position + 1),
        )?;
        add(&mut zip, &names[1], questions(quiz, &assessment, warnings))?;
        if let (Some(keep), Some(key)) = (keep.as_deref_mut(), key) {
            keep.wrote(key, (0, 0), warnings);
        }
    }
    zip.finish().map_err(write_error)?;
    Ok(())
}

/// A writer that, once a write or seek has failed, takes everything else without writing: the
/// failure is reported where it happened, and a [`ZipWriter`] dropped unfinished then finishes
/// into nothing instead of printing its own error. It knows where it is, so the zip writer
/// asking (once or twice for every entry) costs no system call and no flush of a buffer.
struct Fused<'o> {
    out: &'o mut dyn WriteSeek,
    failed: bool,
    /// Where the next byte goes, once a seek has told.
    at: Option<u64>,
}

impl Fused<'_> {
    /// `result`, remembering a failure.
    fn fuse<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        self.failed |= result.is_err();
        result
    }
}

impl Write for Fused<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed {
            return Ok(buf.len());
        }
        let written = self.out.write(buf);
        if let (Ok(n), Some(at)) = (&written, &mut self.at) {
            *at += *n as u64;
        }
        self.fuse(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed {
            return Ok(());
        }
        let flushed = self.out.flush();
        self.fuse(flushed)
    }
}

impl io::Seek for Fused<'_> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        if self.failed {
            return Ok(0);
        }
        if let (io::SeekFrom::Current(0), Some(at)) = (pos, self.at) {
            return Ok(at);
        }
        let sought = self.out.seek(pos);
        self.at = sought.as_ref().ok().copied();
        self.fuse(sought)
    }
}

/// `imsmanifest.xml`: the course's metadata, then two resources per assessment.
fn manifest(quiz: &Quiz<'_>, base: &str, ids: &[String]) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut w = document(&mut bytes)?;
    let manifest_id = format!("{base}_manifest");
    w.create_element("manifest")
        .with_attributes([
            ("identifier", manifest_id.as_str()),
            ("xmlns", CP_NS),
            (
                "xmlns:lom",
                "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource",
            ),
            ("xmlns:imsmd", "http://www.imsglobal.org/xsd/imsmd_v1p2"),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", CP_SCHEMA),
        ])
        .write_inner_content(|w| {
            manifest_metadata(w, quiz)?;
            w.create_element("organizations").write_empty()?;
            w.create_element("resources").write_inner_content(|w| {
                for id in ids {
                    resources(w, id)?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    finish(w)?;
    Ok(bytes)
}

/// The manifest's `<metadata>`: the course title, and a date only when the course has one.
fn manifest_metadata(w: &mut Xml<'_>, quiz: &Quiz<'_>) -> io::Result<()> {
    w.create_element("metadata").write_inner_content(|w| {
        element(w, "schema", "IMS Content")?;
        element(w, "schemaversion", "1.1.3")?;
        w.create_element("imsmd:lom").write_inner_content(|w| {
            w.create_element("imsmd:general").write_inner_content(|w| {
                w.create_element("imsmd:title").write_inner_content(|w| {
                    element(w, "imsmd:string", quiz.course.title.get_ref())
                })?;
                Ok(())
            })?;
            // The date of the newest revision: never the clock.
            let date = quiz
                .course
                .revisions
                .first()
                .and_then(|r| r.get_ref().date.as_ref());
            if let Some(date) = date {
                life_cycle(w, &date.get_ref().to_string())?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

/// `<imsmd:lifeCycle>` holding the one date the manifest gives.
fn life_cycle(w: &mut Xml<'_>, date: &str) -> io::Result<()> {
    w.create_element("imsmd:lifeCycle")
        .write_inner_content(|w| {
            w.create_element("imsmd:contribute")
                .write_inner_content(|w| {
                    w.create_element("imsmd:date")
                        .write_inner_content(|w| element(w, "imsmd:dateTime", date))?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

/// An assessment's two resources, as text2qti lays them out: the questions, with a dependency
/// on their settings, and the settings file.
fn resources(w: &mut Xml<'_>, id: &str) -> io::Result<()> {
    let meta_id = format!("{id}_meta");
    let href = format!("{id}/{id}.xml");
    let meta_href = format!("{id}/assessment_meta.xml");
    w.create_element("resource")
        .with_attributes([("identifier", id), ("type", "imsqti_xmlv1p2")])
        .write_inner_content(|w| {
            w.create_element("file")
                .with_attribute(("href", href.as_str()))
                .write_empty()?;
            w.create_element("dependency")
                .with_attribute(("identifierref", meta_id.as_str()))
                .write_empty()?;
            Ok(())
        })?;
    w.create_element("resource")
        .with_attributes([
            ("identifier", meta_id.as_str()),
            (
                "type",
                "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            ),
            ("href", meta_href.as_str()),
        ])
        .write_inner_content(|w| {
            w.create_element("file")
                .with_attribute(("href", meta_href.as_str()))
                .write_empty()?;
            Ok(())
        })?;
    Ok(())
}

/// Canvas's quiz settings. A knowledge check is an ungraded practice quiz with unlimited
/// attempts that shows the answers; exam material is a graded, unpublished, one-attempt quiz
/// that hides them.
fn meta(
    quiz: &Quiz<'_>,
    base: &str,
    assessment: &Assessment<'_, '_>,
    position: usize,
) -> io::Result<Vec<u8>> {
    let group = assessment.group;
    let id = assessment.id;
    let exam = group.bank == Bank::Exam;
    let points = format!("{}.0", points(group));
    let title = title(quiz, group);
    let flag = |on: bool| if on { "true" } else { "false" };
    let mut bytes = Vec::new();
    let mut w = document(&mut bytes)?;
    w.create_element("quiz")
        .with_attributes([
            ("identifier", id),
            ("xmlns", CANVAS_NS),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", CANVAS_SCHEMA),
        ])
        .write_inner_content(|w| {
            element(w, "title", &title)?;
            element(w, "description", &group.rendered().description)?;
            element(w, "shuffle_answers", flag(quiz.form.is_none()))?;
            element(w, "scoring_policy", "keep_highest")?;
            element(w, "hide_results", if exam { "always" } else { "" })?;
            element(
                w,
                "quiz_type",
                if exam { "assignment" } else { "practice_quiz" },
            )?;
            element(w, "points_possible", &points)?;
            element(w, "show_correct_answers", flag(!exam))?;
            element(w, "anonymous_submissions", "false")?;
            element(w, "could_be_locked", "false")?;
            let minutes = quiz.course.exam.as_ref().and_then(|e| e.get_ref().minutes);
            if let (Some(minutes), Some(_)) = (minutes, quiz.form) {
                element(w, "time_limit", &minutes.to_string())?;
            }
            element(w, "allowed_attempts", if exam { "1" } else { "-1" })?;
            element(w, "one_question_at_a_time", "false")?;
            element(w, "cant_go_back", "false")?;
            element(w, "available", "false")?;
            element(w, "one_time_results", "false")?;
            element(w, "show_correct_answers_last_attempt", "false")?;
            element(w, "only_visible_to_overrides", "false")?;
            element(w, "module_locked", "false")?;
            if exam {
                assignment(w, id, &title, &points, position)?;
            }
            element(
                w,
                "assignment_group_identifierref",
                &format!("{base}_assignment-group"),
            )?;
            Ok(())
        })?;
    finish(w)?;
    Ok(bytes)
}

/// The `<assignment>` that makes an exam quiz graded. It is unpublished, so an exam reaches
/// learners only once an instructor publishes it.
fn assignment(
    w: &mut Xml<'_>,
    quiz_id: &str,
    title: &str,
    points: &str,
    position: usize,
) -> io::Result<()> {
    let assignment_id = format!("{quiz_id}_assignment");
    w.create_element("assignment")
        .with_attribute(("identifier", assignment_id.as_str()))
        .write_inner_content(|w| {
            element(w, "title", title)?;
            element(w, "workflow_state", "unpublished")?;
            element(w, "quiz_identifierref", quiz_id)?;
            element(w, "has_group_category", "false")?;
            element(w, "points_possible", points)?;
            element(w, "grading_type", "points")?;
            element(w, "all_day", "false")?;
            element(w, "submission_types", "online_quiz")?;
            element(w, "position", &position.to_string())?;
            element(w, "peer_reviews", "false")?;
            element(w, "omit_from_final_grade", "false")?;
            Ok(())
        })?;
    Ok(())
}

/// `Exam form A` alone would not say which course it belongs to; a module's title already
/// names its module.
fn title(quiz: &Quiz<'_>, group: &Group<'_>) -> String {
    match quiz.form {
        Some(_) => format!("{}: {}", quiz.course.title.get_ref(), group.title),
        None => group.title.clone(),
    }
}

/// The group's total, for `points_possible`.
fn points(group: &Group<'_>) -> u64 {
    group
        .rendered()
        .items
        .iter()
        .map(|i| u64::from(i.question.points))
        .sum()
}

/// The assessment file: `questestinterop` > `assessment` > `section root_section` > items.
fn questions(
    quiz: &Quiz<'_>,
    assessment: &Assessment<'_, '_>,
    warnings: &mut Warnings,
) -> io::Result<Vec<u8>> {
    let group = assessment.group;
    let mut bytes = Vec::new();
    let mut w = document(&mut bytes)?;
    let title = title(quiz, group);
    w.create_element("questestinterop")
        .with_attributes([
            ("xmlns", QTI_NS),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", QTI_SCHEMA),
        ])
        .write_inner_content(|w| {
            w.create_element("assessment")
                .with_attributes([("ident", assessment.id), ("title", title.as_str())])
                .write_inner_content(|w| {
                    let attempts = if group.bank == Bank::Exam {
                        "1"
                    } else {
                        "unlimited"
                    };
                    let mut fields = vec![("cc_maxattempts", attempts.to_owned())];
                    let minutes = quiz.course.exam.as_ref().and_then(|e| e.get_ref().minutes);
                    if let (Some(minutes), Some(_)) = (minutes, quiz.form) {
                        fields.push(("qmd_timelimit", minutes.to_string()));
                    }
                    metadata(w, &fields)?;
                    w.create_element("section")
                        .with_attribute(("ident", "root_section"))
                        .write_inner_content(|w| {
                            let mut next_id = 0;
                            for item in &group.rendered().items {
                                item::write(
                                    w,
                                    assessment.id,
                                    item,
                                    &quiz.true_false,
                                    &mut next_id,
                                    warnings,
                                )?;
                            }
                            Ok(())
                        })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    finish(w)?;
    Ok(bytes)
}

/// `<qtimetadata>` with one `<qtimetadatafield>` per entry.
pub(super) fn metadata(w: &mut Xml<'_>, fields: &[(&str, String)]) -> io::Result<()> {
    w.create_element("qtimetadata").write_inner_content(|w| {
        for (label, entry) in fields {
            w.create_element("qtimetadatafield")
                .write_inner_content(|w| {
                    element(w, "fieldlabel", label)?;
                    element(w, "fieldentry", entry)
                })?;
        }
        Ok(())
    })?;
    Ok(())
}
