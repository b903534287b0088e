//! `coursepack serve`: a live preview. Builds into a temporary folder, serves it on 127.0.0.1,
//! watches the sources and templates, rebuilds on save, and reloads the open page. While the
//! source has errors every page shows the diagnostics instead of the stale output.
//!
//! The reload script is added to HTML as it is served, never to the built files: a page polls
//! `/__coursepack/version` and reloads when the build it shows is no longer the newest.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use notify::{RecursiveMode, Watcher};

use crate::build::{Built, build};
use crate::check::render_text;
use crate::diagnostic::Report;
use crate::plan::Options;
use crate::source::Disk;

/// The endpoint a served page polls.
pub const VERSION_PATH: &str = "/__coursepack/version";

/// What the preview tells its caller, who prints it.
#[derive(Debug)]
pub enum Event<'a> {
    /// The server listens at this address; the build is in this folder.
    Listening(SocketAddr, &'a Path),
    /// A build succeeded.
    Built(&'a Built),
    /// A build failed; pages show these diagnostics until the next good build.
    Failed(&'a Report),
}

/// The newest build, as the server shows it.
#[derive(Debug, Default)]
struct State {
    /// Goes up by one with every build, good or bad.
    version: u64,
    /// The diagnostics of a failed build, as plain text.
    errors: Option<String>,
}

/// Serves the curriculum in `dir` on `127.0.0.1:port` (0: any free port) until the process
/// ends, rebuilding whenever a file under `dir` other than a build changes. The build goes to
/// `out`, else to a temporary folder.
pub fn serve(
    dir: &Path,
    port: u16,
    out: Option<&Path>,
    options: &Options,
    tell: &mut dyn FnMut(Event<'_>),
) -> Result<()> {
    let dir_abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    let out = match out {
        Some(out) => out.to_owned(),
        None => {
            // One folder per course, emptied at start: a preview stopped with Ctrl-C leaves at
            // most one stale build per course behind, not one per run.
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&dir_abs, &mut hasher);
            let out = std::env::temp_dir().join(format!(
                "coursepack-serve-{:016x}",
                std::hash::Hasher::finish(&hasher)
            ));
            let _ = std::fs::remove_dir_all(&out);
            out
        }
    };
    let state = Arc::new(Mutex::new(State::default()));
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|err| anyhow!("cannot listen on 127.0.0.1:{port}: {err}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow!("the server has no IP address"))?;

    let (sender, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = sender.send(event);
        }
    })
    .context("cannot watch the curriculum for changes")?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch `{}`", dir.display()))?;

    rebuild(dir, &out, options, &state, tell);
    tell(Event::Listening(addr, &out));
    let served = out.clone();
    let shared = Arc::clone(&state);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            respond(request, &served, &shared);
        }
    });

    while let Ok(event) = changes.recv() {
        let mut relevant = is_source(&dir_abs, &event);
        // An editor's save is several events: wait until they settle, then build once.
        while let Ok(event) = changes.recv_timeout(Duration::from_millis(150)) {
            relevant |= is_source(&dir_abs, &event);
        }
        if relevant {
            rebuild(dir, &out, options, &state, tell);
        }
    }
    Ok(())
}

/// Whether `event` touches the sources: `course.toml`, `modules/`, `templates/`.
fn is_source(dir: &Path, event: &notify::Event) -> bool {
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|path| {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let Ok(rel) = path.strip_prefix(dir) else {
            return false;
        };
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // Editors' swap and backup files are not sources.
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            return false;
        }
        match rel.components().next() {
            Some(Component::Normal(first)) => {
                first == "course.toml" || first == "modules" || first == "templates"
            }
            _ => false,
        }
    })
}

fn rebuild(
    dir: &Path,
    out: &Path,
    options: &Options,
    state: &Mutex<State>,
    tell: &mut dyn FnMut(Event<'_>),
) {
    let result = build(&Disk::new(dir), out, options);
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    state.version += 1;
    match result {
        Ok(built) => {
            state.errors = None;
            drop(state);
            tell(Event::Built(&built));
        }
        Err(report) => {
            state.errors = Some(render_text(&report, false));
            drop(state);
            tell(Event::Failed(&report));
        }
    }
}

fn respond(request: tiny_http::Request, out: &Path, state: &Mutex<State>) {
    let (version, errors) = {
        let state = state.lock().unwrap_or_else(PoisonError::into_inner);
        (state.version, state.errors.clone())
    };
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    if url == VERSION_PATH {
        let _ = request.respond(text_response(
            version.to_string(),
            "text/plain; charset=utf-8",
            200,
        ));
        return;
    }
    let Some(path) = file_for(out, &url) else {
        let _ = request.respond(text_response("not found".into(), "text/plain", 404));
        return;
    };
    let is_html = path.extension().is_some_and(|e| e == "html");
    if let (Some(errors), true) = (&errors, is_html) {
        let page = error_page(errors, version);
        let _ = request.respond(text_response(page, "text/html; charset=utf-8", 200));
        return;
    }
    let Ok(bytes) = std::fs::read(&path) else {
        let _ = request.respond(text_response("not found".into(), "text/plain", 404));
        return;
    };
    if is_html {
        let page = with_reload(&String::from_utf8_lossy(&bytes), version);
        let _ = request.respond(text_response(page, "text/html; charset=utf-8", 200));
        return;
    }
    let response = tiny_http::Response::from_data(bytes).with_header(content_type(&path));
    let _ = request.respond(response);
}

/// The file `url` names under `out`; `None` for anything that would leave it.
fn file_for(out: &Path, url: &str) -> Option<PathBuf> {
    let rel = url.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    let rel = Path::new(&rel);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| out.join(rel))
}

fn text_response(
    text: String,
    kind: &str,
    status: u16,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string(text)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| unreachable!("ASCII header"))
}

fn content_type(path: &Path) -> tiny_http::Header {
    let name = path.to_string_lossy();
    let kind = if name.ends_with(".md") || name.ends_with(".txt") {
        "text/plain; charset=utf-8"
    } else if name.ends_with(".xml") {
        "application/xml"
    } else if name.ends_with(".css") {
        "text/css"
    } else if name.ends_with(".zip") {
        "application/zip"
    } else {
        "application/octet-stream"
    };
    header("Content-Type", kind)
}

/// The script that reloads the page when a newer build than `version` exists.
fn reload_script(version: u64) -> String {
    format!(
        "<script>(function(){{var shown=\"{version}\";setInterval(function(){{\
fetch(\"{VERSION_PATH}\",{{cache:\"no-store\"}}).then(function(r){{return r.text();}})\
.then(function(v){{if(v!==shown){{location.reload();}}}}).catch(function(){{}});}},300);}})();</script>"
    )
}

fn with_reload(html: &str, version: u64) -> String {
    let script = reload_script(version);
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}\n{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

fn error_page(errors: &str, version: u64) -> String {
    let escaped = errors
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>Build failed · coursepack serve</title>\n</head>\n<body>\n<main>\n\
<h1>The course has errors</h1>\n<p>Fix them and save: this page reloads by itself.</p>\n\
<pre id=\"coursepack-diagnostics\">{escaped}</pre>\n</main>\n{}\n</body>\n</html>\n",
        reload_script(version)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_stay_inside_the_build() {
        let out = Path::new("/tmp/out");
        assert_eq!(file_for(out, "/"), Some(out.join("index.html")));
        assert_eq!(
            file_for(out, "/learner/modules/a.html"),
            Some(out.join("learner/modules/a.html"))
        );
        assert_eq!(file_for(out, "/../etc/passwd"), None);
        assert_eq!(file_for(out, "/learner/../../x"), None);
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let page = with_reload("<html><body><p>x</p></body></html>", 3);
        assert!(page.contains("var shown=\"3\""));
        assert!(page.ends_with("</script>\n</body></html>"));
        let errors = error_page("error[E006]: <bad>", 4);
        assert!(errors.contains("error[E006]: &lt;bad&gt;"));
    }
}
