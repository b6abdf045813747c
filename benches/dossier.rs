//! Times `dossier_pdf` + `dossier_zip` on a dossier of 30 exhibits totalling about 60 MB, and
//! checks the budget of the issue: under 2 s and under 250 MB of peak memory (release build,
//! `cargo bench --bench dossier`). Exits non-zero when a budget is missed.
//!
//! The exhibits are generated first and written to a temporary folder, then read back one at
//! a time by the exhibit source, as the evidence store would: 24 PDFs of 3 pages, each page
//! an incompressible 660 KB image (FlateDecode of random pixels), and 6 JPEGs of random
//! pixels of about 2 MB. The peak (`VmHWM` of /proc/self/status) is reset after generation
//! (`/proc/self/clear_refs`), so it measures the assembly only: the exhibit files on disk,
//! the dossier PDF kept by the caller, the ZIP, and whatever the assembly allocates.
//!
//! `DOSSIER_BENCH_RUNS` sets the number of timed runs (default 3; the median is judged).
//! A last run streams the ZIP to a file with `dossier_zip_to` (the archive never in memory),
//! for information. `DOSSIER_BENCH_KEEP=path` keeps that PDF (e.g. for `qpdf --check`).
//! `DOSSIER_BENCH_BASELINE=1` also measures, for comparison, the engine's plain
//! `merge_pdfs` with every exhibit in memory at once (JPEGs through `image_page`).

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use flate2::{write::ZlibEncoder, Compression};
use lopdf::{dictionary, Document, Object, Stream};
use printpdf::{OutputImageFormat, RawImage, RawImageData, RawImageFormat};
use recouvra::documents::dossier::{
    dossier_pdf, dossier_zip, dossier_zip_to, CompanyParty, CourtInfo, DebtorParty, DossierError,
    DossierInput, Exhibit, ExhibitSource, Filer, InvoiceLine,
};
use recouvra::documents::pdf::{image_page, merge_pdfs};
use recouvra::domain::claim::{statement, ClaimInput, ClaimKind, InvoiceInput, PaymentInput};
use recouvra::domain::rates::RateTable;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

const TIME_BUDGET: Duration = Duration::from_secs(2);
const MEMORY_BUDGET_MB: u64 = 250;
const PDF_EXHIBITS: u32 = 24;
const JPEG_EXHIBITS: u32 = 6;
const PAGES_PER_PDF: u32 = 3;
/// Side of the square random image on each PDF page: 470 × 470 × 3 ≈ 660 KB.
const PAGE_IMAGE_SIDE: u32 = 470;
/// Side of the random JPEGs (about 2.3 MB each).
const JPEG_SIDE: usize = 1300;

type BenchResult<T> = Result<T, Box<dyn Error>>;

/// Deterministic pseudo-random bytes (xorshift64*): incompressible, like scans.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend(x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A PDF of `PAGES_PER_PDF` pages, each a random RGB image and a line of text.
fn exhibit_pdf(number: u32) -> BenchResult<Vec<u8>> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for page in 0..PAGES_PER_PDF {
        let side = PAGE_IMAGE_SIDE;
        let pixels = noise((side * side * 3) as usize, u64::from(number * 100 + page));
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(&pixels)?;
        let image = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => side, "Height" => side,
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "FlateDecode",
            },
            encoder.finish()?,
        );
        let image_id = doc.add_object(image);
        let text = format!(
            "q 500 0 0 500 48 200 cm /Im1 Do Q BT /F1 14 Tf 48 760 Td (Piece {number}, page {}) Tj ET",
            page + 1
        );
        let content_id = doc.add_object(Stream::new(dictionary! {}, text.into_bytes()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font_id },
                "XObject" => dictionary! { "Im1" => image_id },
            },
            "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// A JPEG of random pixels (printpdf's encoder).
fn exhibit_jpeg(number: u32) -> BenchResult<Vec<u8>> {
    let image = RawImage {
        pixels: RawImageData::U8(noise(JPEG_SIDE * JPEG_SIDE * 3, u64::from(number))),
        width: JPEG_SIDE,
        height: JPEG_SIDE,
        data_format: RawImageFormat::RGB8,
        tag: Vec::new(),
    };
    Ok(image.encode_to_bytes(&[OutputImageFormat::Jpeg])?.0)
}

/// Reads the exhibits from the temporary folder, one file per exhibit.
struct FileSource(PathBuf);

impl ExhibitSource for FileSource {
    fn bytes(&self, exhibit: &Exhibit) -> Result<Vec<u8>, DossierError> {
        std::fs::read(self.0.join(format!("{}.bin", exhibit.number))).map_err(|e| {
            DossierError::Exhibit {
                number: exhibit.number,
                reason: e.kind().to_string(),
            }
        })
    }
}

fn date(y: i32, m: u32, d: u32) -> BenchResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad date".into())
}

/// Writes the exhibits to `dir` and returns their records.
fn exhibits(dir: &Path) -> BenchResult<Vec<Exhibit>> {
    let mut out = Vec::new();
    for number in 1..=PDF_EXHIBITS + JPEG_EXHIBITS {
        let (bytes, media_type, ext) = if number <= PDF_EXHIBITS {
            (exhibit_pdf(number)?, "application/pdf", "pdf")
        } else {
            (exhibit_jpeg(number)?, "image/jpeg", "jpg")
        };
        std::fs::write(dir.join(format!("{number}.bin")), &bytes)?;
        out.push(Exhibit {
            number,
            title: format!("Pièce générée n° {number}"),
            date: date(2025, 6, 1)?,
            nature: "Facture".into(),
            media_type: media_type.into(),
            sha256: hex::encode(Sha256::digest(&bytes)),
            size_bytes: bytes.len() as u64,
            filename: format!("piece {number}.{ext}"),
        });
    }
    Ok(out)
}

fn input(exhibits: Vec<Exhibit>) -> BenchResult<DossierInput> {
    let as_of = date(2026, 3, 2)?;
    let mut invoices = Vec::new();
    for i in 0..12i64 {
        let due = date(2025, 1 + (i as u32 % 12), 10)?;
        invoices.push(InvoiceInput {
            id: i,
            number: format!("F-2025-{:03}", 100 + i),
            issue_date: due - chrono::Days::new(30),
            due_date: due,
            amount: Decimal::new(150_000 + i * 12_345, 2),
            paid_before_intake: Decimal::ZERO,
        });
    }
    let payments = vec![PaymentInput {
        id: 100,
        date: date(2025, 9, 1)?,
        amount: Decimal::new(250_000, 2),
        invoice_id: None,
    }];
    let claim = ClaimInput {
        kind: ClaimKind::B2B,
        creditor_is_private_person: false,
        contractual_rate: None,
        formal_notice_date: None,
        title_enforceable_on: None,
        interest_stops_on: None,
        invoices,
        payments,
    };
    let statement = statement(&claim, as_of, &RateTable::seeded())?;
    let company = |name: &str| CompanyParty {
        name: name.into(),
        legal_form: "SAS".into(),
        siren: "512 345 678".into(),
        address_lines: vec!["1 rue de la République".into(), "21000 Dijon".into()],
        representative: "prise en la personne de son président".into(),
    };
    Ok(DossierInput {
        date: as_of,
        place: "Dijon".into(),
        case_reference: "REC-2026-000031".into(),
        court: CourtInfo {
            judge: "Monsieur ou Madame le Président du tribunal de commerce".into(),
            name: "Tribunal de commerce de Dijon".into(),
            cerfa: "12946".into(),
        },
        creditor: company("Fournitures Bourguignonnes"),
        debtor: DebtorParty::Company(company("Transports Lefèvre")),
        filer: Filer {
            name: "Maître Claire Dubois".into(),
            capacity: "Avocat".into(),
            firm: None,
            address_lines: vec!["18 rue de la Liberté, 21000 Dijon".into()],
        },
        basis: "Marchandises livrées et facturées, demeurées impayées (C. civ. 1103).".into(),
        invoices: claim.invoices.iter().map(InvoiceLine::from).collect(),
        statement,
        interest_basis: "taux BCE + 10 points (C. com. L441-10 II)".into(),
        transfer_on_opposition: true,
        exhibits,
    })
}

/// Peak resident memory of the process so far, in kB (`VmHWM`).
fn peak_kb() -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".into())
}

/// Resets the peak to the current resident size (Linux ≥ 4.0).
fn reset_peak() -> BenchResult<()> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    Ok(())
}

/// Current resident memory, in MB (`VmRSS`).
fn rss_mb() -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb / 1024)
        .ok_or_else(|| "no VmRSS in /proc/self/status".into())
}

/// The engine's plain merge, every exhibit read into memory first (for comparison only).
fn baseline(input: &DossierInput, source: &FileSource) -> BenchResult<()> {
    reset_peak()?;
    let start = Instant::now();
    let mut pdfs = Vec::with_capacity(input.exhibits.len());
    for e in &input.exhibits {
        let bytes = source.bytes(e)?;
        pdfs.push(if e.media_type == "image/jpeg" {
            image_page(&bytes)?
        } else {
            bytes
        });
    }
    let merged = merge_pdfs(pdfs)?;
    println!(
        "baseline (merge_pdfs, all exhibits in memory, no ZIP): {:.1} MB in {:.3} s, peak RSS {} MB",
        merged.len() as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        peak_kb()? / 1024
    );
    Ok(())
}

fn run(dir: &Path) -> BenchResult<bool> {
    let exhibits = exhibits(dir)?;
    let total: u64 = exhibits.iter().map(|e| e.size_bytes).sum();
    let input = input(exhibits)?;
    let source = FileSource(dir.to_path_buf());
    println!(
        "dossier: {} exhibits ({PDF_EXHIBITS} PDFs of {PAGES_PER_PDF} pages, {JPEG_EXHIBITS} JPEGs), {:.1} MB; generation peak {} MB",
        input.exhibits.len(),
        total as f64 / 1e6,
        peak_kb()? / 1024
    );
    let runs: usize = std::env::var("DOSSIER_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut times = Vec::with_capacity(runs);
    let mut peak_mb = 0;
    for run in 1..=runs {
        reset_peak()?;
        let start = Instant::now();
        let pdf = dossier_pdf(&input, &source)?;
        let pdf_time = start.elapsed();
        let (pdf_peak, pdf_rss) = (peak_kb()? / 1024, rss_mb()?);
        let zip = dossier_zip(&input, &pdf, &source)?;
        let elapsed = start.elapsed();
        let peak = peak_kb()? / 1024;
        println!(
            "run {run}: PDF {:.1} MB in {:.3} s (peak {pdf_peak} MB, then {pdf_rss} MB resident), ZIP {:.1} MB in {:.3} s, total {:.3} s, peak RSS {peak} MB",
            pdf.len() as f64 / 1e6,
            pdf_time.as_secs_f64(),
            zip.len() as f64 / 1e6,
            (elapsed - pdf_time).as_secs_f64(),
            elapsed.as_secs_f64(),
        );
        times.push(elapsed);
        peak_mb = peak_mb.max(peak);
    }
    {
        reset_peak()?;
        let start = Instant::now();
        let pdf = dossier_pdf(&input, &source)?;
        let file = std::io::BufWriter::new(std::fs::File::create(dir.join("dossier.zip"))?);
        dossier_zip_to(&input, &pdf, &source, file)?;
        if let Some(path) = std::env::var_os("DOSSIER_BENCH_KEEP") {
            std::fs::write(path, &pdf)?;
        }
        println!(
            "streamed ZIP (dossier_zip_to a file): {:.3} s, peak RSS {} MB (informative)",
            start.elapsed().as_secs_f64(),
            peak_kb()? / 1024
        );
    }
    if std::env::var_os("DOSSIER_BENCH_BASELINE").is_some() {
        baseline(&input, &source)?;
    }
    times.sort();
    let median = times[times.len() / 2];
    let time_ok = median < TIME_BUDGET;
    let memory_ok = peak_mb < MEMORY_BUDGET_MB;
    println!(
        "median {:.3} s (budget {} s): {}; peak RSS {peak_mb} MB (budget {MEMORY_BUDGET_MB} MB): {}",
        median.as_secs_f64(),
        TIME_BUDGET.as_secs(),
        if time_ok { "ok" } else { "OVER BUDGET" },
        if memory_ok { "ok" } else { "OVER BUDGET" },
    );
    Ok(time_ok && memory_ok)
}

fn main() -> ExitCode {
    let dir = std::env::temp_dir().join(format!("recouvra-bench-dossier-{}", std::process::id()));
    let result = std::fs::create_dir_all(&dir)
        .map_err(Into::into)
        .and_then(|()| run(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("dossier bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}
