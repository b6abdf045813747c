//! Layout model: a printpdf-independent description of a document.
//!
//! A [`Document`] is a flat list of [`Block`]s laid out top to bottom on A4
//! portrait pages with 20 mm margins. Page breaks are automatic; every page gets
//! a "page X / N" footer and, optionally, a header line.

use chrono::NaiveDateTime;

/// Horizontal alignment of a text line or a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (default).
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right (use it for amounts).
    Right,
    /// Flush left and right; the last line of each paragraph stays flush left.
    Justify,
}

/// A complete document to render with [`super::render`].
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Title stored in the PDF metadata (not printed).
    pub title: String,
    /// Author stored in the PDF metadata (not printed).
    pub author: String,
    /// Creation date written to the PDF metadata. Set it explicitly: the output
    /// only depends on the `Document`, never on the clock.
    pub creation_date: NaiveDateTime,
    /// Optional header line printed at the top of the pages (e.g. the letter reference).
    pub header: Option<String>,
    /// Whether the header line is also printed on page 1 (letters usually skip it).
    pub header_on_first_page: bool,
    /// Optional note printed at the bottom left of every page (e.g. legal mentions).
    pub footer_note: Option<String>,
    /// Whether "page X / N" is printed at the bottom right (default). Off for pages that are
    /// cut apart and interleaved with other documents (a dossier's exhibit dividers), where
    /// their own numbering would mislead.
    pub page_numbers: bool,
    /// Content, laid out in order.
    pub blocks: Vec<Block>,
}

impl Document {
    /// Creates an empty document with no header and no footer note.
    pub fn new(
        title: impl Into<String>,
        author: impl Into<String>,
        creation_date: NaiveDateTime,
    ) -> Self {
        Self {
            title: title.into(),
            author: author.into(),
            creation_date,
            header: None,
            header_on_first_page: false,
            footer_note: None,
            page_numbers: true,
            blocks: Vec::new(),
        }
    }

    /// Appends a block and returns the document (builder style).
    pub fn with(mut self, block: Block) -> Self {
        self.blocks.push(block);
        self
    }

    /// Appends a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

/// One unit of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A bold heading; level 1 is the largest (levels above 3 render like 3).
    /// A heading is never left alone at the bottom of a page.
    Heading(u8, String),
    /// A body paragraph, word-wrapped to the text width, flush left.
    /// `'\n'` forces a line break.
    Paragraph(String),
    /// A paragraph with explicit styling (alignment, bold, size, left indent).
    Text(TextBlock),
    /// Sender address at the top left and recipient address on the right
    /// (positioned for a French window envelope). The first line of each side
    /// is printed in bold. Never split across pages.
    AddressBlocks {
        /// Sender lines (company name first).
        sender: Vec<String>,
        /// Recipient lines (name first).
        recipient: Vec<String>,
    },
    /// Label / value rows: bold label column, wrapped value column.
    KeyValue(Vec<(String, String)>),
    /// A table; rows are never split and the header repeats on each new page.
    Table(Table),
    /// Vertical space in millimetres (dropped at the top of a page).
    Spacer(f32),
    /// Starts a new page (no-op if the current page is still empty).
    PageBreak,
    /// A QR code of the text (a link), 25 mm square at the left margin, never split across
    /// pages; error correction M.
    Qr(String),
    /// A page of its own with a big centred title (e.g. "Pièce n° 3") and an
    /// optional subtitle (e.g. the exhibit description).
    Divider {
        /// Big centred title.
        title: String,
        /// Smaller line under the title.
        subtitle: Option<String>,
    },
}

/// A styled paragraph, see [`Block::Text`].
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    /// Text; `'\n'` forces a line break.
    pub text: String,
    /// Alignment inside the available width.
    pub align: Align,
    /// Bold face.
    pub bold: bool,
    /// Font size in points.
    pub size_pt: f32,
    /// Left indent in millimetres (reduces the available width).
    pub indent_mm: f32,
}

impl TextBlock {
    /// Body-sized, flush-left, regular text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            align: Align::Left,
            bold: false,
            size_pt: super::layout::BODY_SIZE,
            indent_mm: 0.0,
        }
    }

    /// Sets the alignment.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    /// Switches to bold.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// Sets the font size in points.
    pub fn size(mut self, size_pt: f32) -> Self {
        self.size_pt = size_pt;
        self
    }

    /// Sets the left indent in millimetres.
    pub fn indent(mut self, indent_mm: f32) -> Self {
        self.indent_mm = indent_mm;
        self
    }
}

impl From<TextBlock> for Block {
    fn from(t: TextBlock) -> Self {
        Block::Text(t)
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header label.
    pub title: String,
    /// Width in millimetres. If the columns are wider than the text width
    /// (170 mm) they are scaled down proportionally.
    pub width_mm: f32,
    /// Alignment of the header and the cells.
    pub align: Align,
}

impl Column {
    /// Creates a column.
    pub fn new(title: impl Into<String>, width_mm: f32, align: Align) -> Self {
        Self {
            title: title.into(),
            width_mm,
            align,
        }
    }
}

/// A table, see [`Block::Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Columns (their titles form the header row).
    pub columns: Vec<Column>,
    /// Body rows; each must have exactly one cell per column. Cells wrap.
    pub rows: Vec<Vec<String>>,
    /// Optional total row, printed in bold under a rule.
    pub total: Option<Vec<String>>,
}
