//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::Command;

/// Whether an external command is installed. In CI a missing tool fails the test instead of
/// skipping it, so a check that cannot run is never counted as passed.
pub fn has_tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    assert!(
        found || std::env::var_os("CI").is_none(),
        "{name} is required in CI (apt-get install poppler-utils qpdf)"
    );
    found
}

/// Writes `pdf` to a per-test temporary file and returns its path.
pub fn temp_pdf(tag: &str, pdf: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("recouvra-pdf-{}-{tag}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("write temp pdf");
    path
}

/// Text of the PDF as extracted by `pdftotext -layout`, or `None` (with a
/// message) when poppler-utils is not installed.
pub fn pdftotext(tag: &str, pdf: &[u8]) -> Option<String> {
    if !has_tool("pdftotext") {
        eprintln!("SKIPPED: pdftotext not found (apt-get install poppler-utils)");
        return None;
    }
    let path = temp_pdf(tag, pdf);
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("run pdftotext");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("pdftotext output is UTF-8"))
}

/// Runs `qpdf --check`; `None` when qpdf is not installed, else (success, output).
pub fn qpdf_check(tag: &str, pdf: &[u8]) -> Option<(bool, String)> {
    if !has_tool("qpdf") {
        eprintln!("SKIPPED: qpdf not found (apt-get install qpdf)");
        return None;
    }
    let path = temp_pdf(tag, pdf);
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("run qpdf");
    let _ = std::fs::remove_file(&path);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // qpdf exits 0 when clean, 3 when it only has warnings.
    Some((out.status.code() == Some(0), text))
}

/// Runs `qpdf` with `args` on `pdf` and returns the produced file.
pub fn qpdf_transform(tag: &str, pdf: &[u8], args: &[&str]) -> Option<Vec<u8>> {
    if !has_tool("qpdf") {
        eprintln!("SKIPPED: qpdf not found (apt-get install qpdf)");
        return None;
    }
    let input = temp_pdf(&format!("{tag}-in"), pdf);
    let output =
        std::env::temp_dir().join(format!("recouvra-pdf-{}-{tag}-out.pdf", std::process::id()));
    let status = Command::new("qpdf")
        .args(args)
        .arg(&input)
        .arg(&output)
        .status()
        .expect("run qpdf");
    assert!(status.success(), "qpdf {args:?} failed");
    let bytes = std::fs::read(&output).expect("read qpdf output");
    let _ = std::fs::remove_file(&input);
    let _ = std::fs::remove_file(&output);
    Some(bytes)
}
