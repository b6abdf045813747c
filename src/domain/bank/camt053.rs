//! ISO 20022 `camt.053` (Bank-to-Customer Statement), what French banks deliver over EBICS,
//! any version of the message (`camt.053.001.02` to `.13`: the elements read here kept their
//! names). Read as a stream of quick-xml events, by local name (any namespace prefix):
//!
//! - `Stmt/Id`, `Stmt/Acct/Id/IBAN`, `Stmt/Bal` with `Tp/CdOrPrtry/Cd` = `CLBD` (the booked
//!   closing balance: `Amt`, `CdtDbtInd`, `Dt/Dt`);
//! - each `Stmt/Ntry`: `Amt` with its `Ccy`, `CdtDbtInd`, `Sts` (`BOOK`; in v08+ `Sts/Cd`),
//!   `BookgDt/Dt` (or `DtTm`), `AcctSvcrRef`, and its `NtryDtls/TxDtls`: `Refs/AcctSvcrRef`,
//!   `AmtDtls/TxAmt/Amt` or `Amt`, `RltdPties/Dbtr/Nm` (v08+: `Dbtr/Pty/Nm`; for a debit,
//!   `Cdtr`), `RmtInf/Ustrd` and `RmtInf/Strd/CdtrRefInf/Ref`.
//!
//! An entry booking several transactions (a batch) becomes one entry per transaction when
//! their amounts add up to the entry's. A file that is not well-formed XML, not a camt.053,
//! or with an entry missing its amount, direction or date is refused whole, naming the line
//! and the entry; an entry in another currency than the euro is refused alone, by its line.

use chrono::NaiveDate;
use quick_xml::events::Event;

use super::{cents_of, Direction, Entry, Parsed, Refused, Statement, MAX_ENTRIES};
use crate::domain::Invalid;

/// What a transaction detail of an entry says.
#[derive(Debug, Default, Clone)]
struct Tx {
    servicer_ref: Option<String>,
    amount: Option<(String, Option<String>)>,
    debtor: Option<String>,
    creditor: Option<String>,
    remittance: Vec<String>,
}

#[derive(Debug, Default)]
struct RawEntry {
    line: usize,
    index: usize,
    amount: Option<(String, Option<String>)>,
    direction: Option<String>,
    status: Option<String>,
    booked: Option<String>,
    servicer_ref: Option<String>,
    txs: Vec<Tx>,
}

#[derive(Debug, Default)]
struct RawBalance {
    code: Option<String>,
    amount: Option<(String, Option<String>)>,
    direction: Option<String>,
    date: Option<String>,
}

#[derive(Debug, Default)]
struct RawStatement {
    line: usize,
    identity: Option<String>,
    iban: Option<String>,
    closing: Option<RawBalance>,
    entries: Vec<Entry>,
}

/// Counts lines as the reader moves forward (each byte looked at once).
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: u64) -> usize {
        let end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        if end > self.at {
            self.line += self.bytes[self.at..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.at = end;
        }
        self.line
    }
}

fn ends(stack: &[String], tail: &[&str]) -> bool {
    stack.len() >= tail.len()
        && stack[stack.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

fn within(stack: &[String], name: &str) -> Option<usize> {
    stack.iter().rposition(|s| s == name)
}

fn malformed(line: usize) -> Invalid {
    Invalid::new(format!("malformed XML at line {line}"))
}

fn date_of(text: &str) -> Option<NaiveDate> {
    // `Dt` is a date; `DtTm` an ISO date-time whose first ten characters are the date.
    text.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Reads a camt.053 file.
pub fn parse(text: &str) -> Result<Parsed, Invalid> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut lines = Lines {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    // The currency attribute of the `Amt` being read.
    let mut ccy: Option<String> = None;
    let mut out = Parsed::default();
    let mut statement: Option<RawStatement> = None;
    let mut entry: Option<RawEntry> = None;
    let mut balance: Option<RawBalance> = None;
    let mut entries_seen = 0usize;
    let mut root_checked = false;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|_| malformed(lines.at(reader.error_position())))?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let line = lines.at(at);
                if !root_checked {
                    if name != "Document" {
                        return Err(Invalid::new(format!(
                            "not a camt.053 statement: the root element is {name}, not Document"
                        )));
                    }
                    root_checked = true;
                }
                match name.as_str() {
                    "Stmt" if ends(&stack, &["BkToCstmrStmt"]) => {
                        statement = Some(RawStatement {
                            line,
                            ..RawStatement::default()
                        });
                    }
                    "Ntry" if statement.is_some() && ends(&stack, &["Stmt"]) => {
                        entries_seen += 1;
                        if entries_seen > MAX_ENTRIES {
                            return Err(Invalid::new(format!(
                                "more than {MAX_ENTRIES} entries in one file"
                            )));
                        }
                        entry = Some(RawEntry {
                            line,
                            index: entries_seen,
                            ..RawEntry::default()
                        });
                    }
                    "Bal" if statement.is_some() && ends(&stack, &["Stmt"]) => {
                        balance = Some(RawBalance::default());
                    }
                    "TxDtls" => {
                        if let Some(en) = entry.as_mut() {
                            en.txs.push(Tx::default());
                        }
                    }
                    "Amt" => {
                        ccy = None;
                        for a in e.attributes() {
                            let a = a.map_err(|_| malformed(line))?;
                            if a.key.local_name().as_ref() == b"Ccy" {
                                ccy = Some(
                                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                        .map_err(|_| malformed(line))?
                                        .trim()
                                        .to_string(),
                                );
                            }
                        }
                    }
                    _ => {}
                }
                stack.push(name);
                buf.clear();
            }
            Event::Empty(e) if !root_checked => {
                return Err(Invalid::new(format!(
                    "not a camt.053 statement: the root element is {}, not Document",
                    String::from_utf8_lossy(e.local_name().as_ref())
                )));
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|_| malformed(lines.at(at)))?;
                buf.push_str(&s);
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|_| malformed(lines.at(at)))?;
                buf.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let line = lines.at(at);
                if let Some(c) = r.resolve_char_ref().map_err(|_| malformed(line))? {
                    buf.push(c);
                } else {
                    let name = r.decode().map_err(|_| malformed(line))?;
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| malformed(line))?;
                    buf.push_str(resolved);
                }
            }
            Event::End(_) => {
                let value = buf.trim().to_string();
                buf.clear();
                let Some(name) = stack.last().cloned() else {
                    return Err(malformed(lines.at(at)));
                };
                assign(
                    &stack,
                    &value,
                    ccy.clone(),
                    &mut statement,
                    &mut entry,
                    &mut balance,
                );
                match name.as_str() {
                    "Bal" if ends(&stack, &["Stmt", "Bal"]) => {
                        if let (Some(b), Some(st)) = (balance.take(), statement.as_mut()) {
                            if b.code.as_deref() == Some("CLBD") {
                                st.closing = Some(b);
                            }
                        }
                    }
                    "Ntry" if ends(&stack, &["Stmt", "Ntry"]) => {
                        if let (Some(raw), Some(st)) = (entry.take(), statement.as_mut()) {
                            finish_entry(raw, st, &mut out)?;
                        }
                    }
                    "Stmt" if ends(&stack, &["BkToCstmrStmt", "Stmt"]) => {
                        if let Some(raw) = statement.take() {
                            out.statements.push(finish_statement(raw)?);
                        }
                    }
                    _ => {}
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(Invalid::new(format!(
            "malformed XML: the file ends inside {} (line {})",
            stack.last().map(String::as_str).unwrap_or(""),
            lines.at(u64::try_from(text.len()).unwrap_or(u64::MAX))
        )));
    }
    if !root_checked {
        return Err(Invalid::new("an XML file without any element"));
    }
    if out.statements.is_empty() {
        return Err(Invalid::new(
            "not a camt.053 statement: no BkToCstmrStmt/Stmt element",
        ));
    }
    Ok(out)
}

/// Stores the text of the element that just ended where it belongs.
fn assign(
    stack: &[String],
    value: &str,
    ccy: Option<String>,
    statement: &mut Option<RawStatement>,
    entry: &mut Option<RawEntry>,
    balance: &mut Option<RawBalance>,
) {
    let v = || Some(value.to_string()).filter(|s| !s.is_empty());
    if let Some(en) = entry.as_mut() {
        if let Some(tx_at) = within(stack, "TxDtls") {
            let Some(tx) = en.txs.last_mut() else {
                return;
            };
            let rel = &stack[tx_at..];
            match rel
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["TxDtls", "Refs", "AcctSvcrRef"] => tx.servicer_ref = v(),
                ["TxDtls", "AmtDtls", "TxAmt", "Amt"] | ["TxDtls", "Amt"] => {
                    tx.amount = Some((value.to_string(), ccy))
                }
                ["TxDtls", "RltdPties", "Dbtr", "Nm"]
                | ["TxDtls", "RltdPties", "Dbtr", "Pty", "Nm"] => tx.debtor = v(),
                ["TxDtls", "RltdPties", "Cdtr", "Nm"]
                | ["TxDtls", "RltdPties", "Cdtr", "Pty", "Nm"] => tx.creditor = v(),
                ["TxDtls", "RmtInf", "Ustrd"]
                | ["TxDtls", "RmtInf", "Strd", "CdtrRefInf", "Ref"]
                    if !value.is_empty() =>
                {
                    tx.remittance.push(value.to_string())
                }
                _ => {}
            }
            return;
        }
        if ends(stack, &["Ntry", "Amt"]) {
            en.amount = Some((value.to_string(), ccy));
        } else if ends(stack, &["Ntry", "CdtDbtInd"]) {
            en.direction = v();
        } else if ends(stack, &["Ntry", "Sts"]) || ends(stack, &["Ntry", "Sts", "Cd"]) {
            if !value.is_empty() {
                en.status = v();
            }
        } else if ends(stack, &["Ntry", "BookgDt", "Dt"])
            || ends(stack, &["Ntry", "BookgDt", "DtTm"])
        {
            en.booked = v();
        } else if ends(stack, &["Ntry", "AcctSvcrRef"]) {
            en.servicer_ref = v();
        } else if ends(stack, &["Ntry", "AddtlNtryInf"]) {
            // The bank's own wording of the entry: a remittance of last resort.
            if en.txs.is_empty() && !value.is_empty() {
                en.txs.push(Tx {
                    remittance: vec![value.to_string()],
                    ..Tx::default()
                });
            }
        }
        return;
    }
    if let Some(b) = balance.as_mut() {
        if ends(stack, &["Bal", "Tp", "CdOrPrtry", "Cd"]) {
            b.code = v();
        } else if ends(stack, &["Bal", "Amt"]) {
            b.amount = Some((value.to_string(), ccy));
        } else if ends(stack, &["Bal", "CdtDbtInd"]) {
            b.direction = v();
        } else if ends(stack, &["Bal", "Dt", "Dt"]) || ends(stack, &["Bal", "Dt", "DtTm"]) {
            b.date = v();
        }
        return;
    }
    if let Some(st) = statement.as_mut() {
        if ends(stack, &["Stmt", "Id"]) {
            st.identity = v();
        } else if ends(stack, &["Stmt", "Acct", "Id", "IBAN"]) {
            st.iban = v();
        }
    }
}

fn direction_of(code: Option<&str>) -> Option<Direction> {
    match code {
        Some("CRDT") => Some(Direction::Credit),
        Some("DBIT") => Some(Direction::Debit),
        _ => None,
    }
}

fn finish_entry(raw: RawEntry, st: &mut RawStatement, out: &mut Parsed) -> Result<(), Invalid> {
    let at =
        |reason: String| Invalid::new(format!("entry {} (line {}): {reason}", raw.index, raw.line));
    // Only booked entries are the account's: pending ones come again, booked, later.
    if let Some(s) = raw.status.as_deref() {
        if s != "BOOK" {
            out.pending += 1;
            return Ok(());
        }
    }
    let (amount, ccy) = raw
        .amount
        .clone()
        .ok_or_else(|| at("no amount (Amt)".into()))?;
    let ccy = ccy.ok_or_else(|| at("the amount has no currency (Ccy)".into()))?;
    if ccy != "EUR" {
        out.refused.push(Refused {
            line: raw.line,
            reason: format!("entry {}: an amount in {ccy}, not in euros", raw.index),
        });
        return Ok(());
    }
    let cents = cents_of(&amount).map_err(|e| at(e.0))?;
    let direction = direction_of(raw.direction.as_deref())
        .ok_or_else(|| at("no credit or debit indicator (CdtDbtInd CRDT or DBIT)".into()))?;
    let booked_on = raw
        .booked
        .as_deref()
        .ok_or_else(|| at("no booking date (BookgDt)".into()))
        .and_then(|d| date_of(d).ok_or_else(|| at(format!("« {d} » is not a date"))))?;
    let party = |tx: &Tx| match direction {
        Direction::Credit => tx.debtor.clone(),
        Direction::Debit => tx.creditor.clone(),
    };
    let remittance = |tx: &Tx| Some(tx.remittance.join(" ")).filter(|s| !s.is_empty());
    let with_amounts: Vec<(i64, &Tx)> = raw
        .txs
        .iter()
        .filter_map(|tx| tx.amount.as_ref().map(|a| (a, tx)))
        .map(|((a, c), tx)| {
            if c.as_deref().is_some_and(|c| c != "EUR") {
                return Err(at(format!(
                    "a transaction in {}, inside an entry in euros",
                    c.as_deref().unwrap_or("")
                )));
            }
            cents_of(a).map(|c| (c, tx)).map_err(|e| at(e.0))
        })
        .collect::<Result<_, _>>()?;
    if raw.txs.len() > 1 {
        // A batch: one entry per transaction, when they add up to the entry.
        if with_amounts.len() != raw.txs.len() {
            return Err(at(
                "a batch of transactions without the amount of each".into()
            ));
        }
        let sum = crate::domain::money::sum_cents(with_amounts.iter().map(|(c, _)| *c))?;
        if sum != cents {
            return Err(at(format!(
                "its transactions add up to {}, not to the entry's {}",
                crate::domain::money::format_cents(sum),
                crate::domain::money::format_cents(cents)
            )));
        }
        for (n, (c, tx)) in with_amounts.iter().enumerate() {
            st.entries.push(Entry {
                line: raw.line,
                booked_on,
                amount_cents: *c,
                direction,
                payer_name: party(tx),
                remittance: remittance(tx),
                servicer_ref: tx
                    .servicer_ref
                    .clone()
                    .or_else(|| raw.servicer_ref.as_ref().map(|r| format!("{r}/{}", n + 1))),
            });
        }
        return Ok(());
    }
    let tx = raw.txs.first().cloned().unwrap_or_default();
    st.entries.push(Entry {
        line: raw.line,
        booked_on,
        amount_cents: cents,
        direction,
        payer_name: party(&tx),
        remittance: remittance(&tx),
        servicer_ref: raw.servicer_ref.clone().or(tx.servicer_ref.clone()),
    });
    Ok(())
}

fn finish_statement(raw: RawStatement) -> Result<Statement, Invalid> {
    let at = |reason: &str| Invalid::new(format!("statement (line {}): {reason}", raw.line));
    let iban = raw
        .iban
        .as_deref()
        .ok_or_else(|| at("no account IBAN (Acct/Id/IBAN)"))
        .and_then(|i| crate::domain::ids::parse_iban(i).map_err(|e| at(&e.0)))?;
    let closing_balance = match raw.closing {
        None => None,
        Some(b) => {
            let (amount, ccy) = b
                .amount
                .ok_or_else(|| at("a closing balance without amount"))?;
            if ccy.as_deref() != Some("EUR") {
                return Err(at("a closing balance that is not in euros"));
            }
            let cents = if amount.trim().chars().all(|c| c == '0' || c == '.') {
                0
            } else {
                cents_of(&amount).map_err(|e| at(&e.0))?
            };
            let signed = match direction_of(b.direction.as_deref()) {
                Some(Direction::Credit) => cents,
                Some(Direction::Debit) => -cents,
                None => return Err(at("a closing balance without CdtDbtInd")),
            };
            let day = b
                .date
                .as_deref()
                .and_then(date_of)
                .ok_or_else(|| at("a closing balance without its date"))?;
            Some((signed, day))
        }
    };
    Ok(Statement {
        identity: raw
            .identity
            .ok_or_else(|| at("no statement identification (Stmt/Id)"))?,
        iban,
        closing_balance,
        entries: raw.entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>STMT-1</Id>
<Acct><Id><IBAN>FR76 3000 6000 0112 3456 7890 189</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-05-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1510.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-05-31</Dt></Dt></Bal>
"#;
    const TAIL: &str = "</Stmt></BkToCstmrStmt></Document>";

    fn ntry(amount: &str, ccy: &str, ind: &str, inner: &str) -> String {
        format!(
            "<Ntry><Amt Ccy=\"{ccy}\">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>2026-05-04</Dt></BookgDt>{inner}</Ntry>\n"
        )
    }

    #[test]
    fn a_statement_gives_its_account_balance_and_entries() {
        let body = ntry(
            "1500.00",
            "EUR",
            "CRDT",
            "<AcctSvcrRef>B1</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>BOULANGERIE MARTIN</Nm></Dbtr></RltdPties>\
             <RmtInf><Ustrd>Facture rec 2026 000001</Ustrd><Ustrd>merci</Ustrd></RmtInf></TxDtls></NtryDtls>",
        ) + &ntry("12.30", "EUR", "DBIT", "<AddtlNtryInf>FRAIS &amp; COMMISSIONS</AddtlNtryInf>");
        let p = parse(&format!("{HEAD}{body}{TAIL}")).unwrap();
        let st = &p.statements[0];
        assert_eq!(st.identity, "STMT-1");
        assert_eq!(st.iban, "FR7630006000011234567890189");
        assert_eq!(
            st.closing_balance,
            Some((151_000, NaiveDate::from_ymd_opt(2026, 5, 31).unwrap()))
        );
        assert_eq!(st.entries.len(), 2);
        let e = &st.entries[0];
        assert_eq!(e.amount_cents, 150_000);
        assert_eq!(e.direction, Direction::Credit);
        assert_eq!(e.payer_name.as_deref(), Some("BOULANGERIE MARTIN"));
        assert_eq!(
            e.remittance.as_deref(),
            Some("Facture rec 2026 000001 merci")
        );
        assert_eq!(e.servicer_ref.as_deref(), Some("B1"));
        assert_eq!(e.line, 8);
        assert_eq!(st.entries[1].direction, Direction::Debit);
        assert_eq!(
            st.entries[1].remittance.as_deref(),
            Some("FRAIS & COMMISSIONS")
        );
    }

    #[test]
    fn another_currency_is_refused_by_its_line_and_the_rest_is_read() {
        let body = ntry("10.00", "USD", "CRDT", "") + &ntry("20.00", "EUR", "CRDT", "");
        let p = parse(&format!("{HEAD}{body}{TAIL}")).unwrap();
        assert_eq!(p.statements[0].entries.len(), 1);
        assert_eq!(p.refused.len(), 1);
        assert_eq!(p.refused[0].line, 8);
        assert!(p.refused[0].reason.contains("USD"), "{:?}", p.refused);
    }

    #[test]
    fn a_broken_entry_or_broken_xml_refuses_the_file_naming_the_line() {
        let body = ntry("20.00", "EUR", "CRDT", "") + &ntry("1,5", "EUR", "CRDT", "");
        let e = parse(&format!("{HEAD}{body}{TAIL}")).unwrap_err();
        assert_eq!(e.0, "entry 2 (line 9): « 1,5 » is not an amount");
        let e = parse(&format!("{HEAD}<Ntry><Amt>1</Ntry>{TAIL}")).unwrap_err();
        assert!(e.0.starts_with("malformed XML at line 8"), "{}", e.0);
        let e = parse(&format!("{HEAD}{}", ntry("1.00", "EUR", "CRDT", ""))).unwrap_err();
        assert!(e.0.contains("ends inside"), "{}", e.0);
        let e = parse("<html><body/></html>").unwrap_err();
        assert!(e.0.contains("root element is html"), "{}", e.0);
        let no_date = "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>";
        let e = parse(&format!("{HEAD}{no_date}{TAIL}")).unwrap_err();
        assert_eq!(e.0, "entry 1 (line 8): no booking date (BookgDt)");
    }

    #[test]
    fn a_batch_is_split_when_its_transactions_add_up() {
        let tx = |amt: &str, r: &str| {
            format!("<TxDtls><Refs><AcctSvcrRef>{r}</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">{amt}</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>{r}</Ustrd></RmtInf></TxDtls>")
        };
        let inner = format!(
            "<NtryDtls>{}{}</NtryDtls>",
            tx("10.00", "T1"),
            tx("5.50", "T2")
        );
        let p = parse(&format!(
            "{HEAD}{}{TAIL}",
            ntry("15.50", "EUR", "CRDT", &inner)
        ))
        .unwrap();
        let amounts: Vec<i64> = p.statements[0]
            .entries
            .iter()
            .map(|e| e.amount_cents)
            .collect();
        assert_eq!(amounts, vec![1000, 550]);
        let bad = parse(&format!(
            "{HEAD}{}{TAIL}",
            ntry("15.00", "EUR", "CRDT", &inner)
        ));
        assert!(bad.unwrap_err().0.contains("add up to 15.50"));
    }

    #[test]
    fn pending_entries_are_left_for_a_later_statement() {
        let pdng = ntry("5.00", "EUR", "CRDT", "").replace("BOOK", "PDNG");
        let p = parse(&format!("{HEAD}{pdng}{TAIL}")).unwrap();
        assert_eq!(p.pending, 1);
        assert!(p.statements[0].entries.is_empty());
    }

    #[test]
    fn prefixed_elements_are_read_by_local_name() {
        let text = r#"<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><c:BkToCstmrStmt><c:Stmt><c:Id>S</c:Id><c:Acct><c:Id><c:IBAN>FR7630006000011234567890189</c:IBAN></c:Id></c:Acct>
<c:Ntry><c:Amt Ccy="EUR">7.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts><c:BookgDt><c:DtTm>2026-05-04T10:00:00</c:DtTm></c:BookgDt>
<c:NtryDtls><c:TxDtls><c:RltdPties><c:Dbtr><c:Pty><c:Nm>Jean Martin</c:Nm></c:Pty></c:Dbtr></c:RltdPties></c:TxDtls></c:NtryDtls></c:Ntry></c:Stmt></c:BkToCstmrStmt></c:Document>"#;
        let p = parse(text).unwrap();
        let e = &p.statements[0].entries[0];
        assert_eq!(e.amount_cents, 700);
        assert_eq!(e.payer_name.as_deref(), Some("Jean Martin"));
        assert_eq!(p.statements[0].closing_balance, None);
    }
}
